# The compiled kernel's signature: that of its pure-Python twin, _emit.py (the specification).
from ..model import Article
from ._emit import EmittedFields

def emit_fields(article: Article) -> EmittedFields: ...
