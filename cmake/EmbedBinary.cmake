# cmake -DINPUT=FILE -DOUTPUT=FILE.inc -P EmbedBinary.cmake
# Writes FILE's bytes as a C initializer list ("0x7f,0x45,...") for
#   const unsigned char name[] = {
#   #include "FILE.inc"
#   };
file(READ "${INPUT}" hex HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}" "${bytes}\n")
