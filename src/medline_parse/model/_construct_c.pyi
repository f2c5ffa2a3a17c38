# The compiled kernel's signature: that of its pure-Python twin, _construct.py (the specification).
from collections.abc import Callable
from typing import Any

def direct_constructor(cls: type[Any]) -> Callable[..., Any]: ...
