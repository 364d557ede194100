"""The exception of the runtime and session API (no library needed)."""


class MaseError(RuntimeError):
    """A failure reported by the mase runtime or compiler: the message says
    what went wrong (the file, the input or output by name, expected vs
    given)."""
