"""Model generators: ONNX files of known models, with reference test data."""
