# cython: language_level=3, boundscheck=False, wraparound=False
"""The hot reads of a PubMed XML record: the compiled kernel (``_walk.py`` is its specification).

The same reads as the pure ones, over lxml's C tree: the children of a node are followed as libxml2
``xmlNode`` pointers and told apart by comparing their names in C, text is taken with lxml's own
``textOf`` (what ``element.text`` returns) and attributes with its ``attributeValueFromNsName``
(what ``element.get`` returns), so no element proxy and no tag string is made for a child.  Inline
markup, comments and dates out of the ordinary are handed to the pure functions (or answered
``None`` for the reader's full path), which keeps the two twins equal on every input.
"""

from cpython.datetime cimport date_new, datetime_new, import_datetime
from libc.string cimport strcmp

cimport lxml.includes.etreepublic as cetree
from lxml.includes cimport tree

import lxml

cdef extern from *:
    """
    #ifndef MEDLINE_PARSE_LXML_BUILT
    #define MEDLINE_PARSE_LXML_BUILT ""
    #endif
    """
    const char* MEDLINE_PARSE_LXML_BUILT

# This module reads lxml's C structures, which are lxml's to change between releases: built with
# one lxml (setup.py says which) and run with another release, it stands aside (ImportError),
# and elements.py uses the pure-Python twin.
BUILT_WITH_LXML = MEDLINE_PARSE_LXML_BUILT.decode("ascii")
if BUILT_WITH_LXML.split(".")[:2] != str(lxml.__version__).split(".")[:2]:
    raise ImportError(
        f"medline_parse.xml._walk_c was built with lxml {BUILT_WITH_LXML or '(unknown)'}, and "
        f"lxml {lxml.__version__} is installed: the pure-Python XML kernel is used"
    )

from ..model import AbstractSection, ArticleId, Author, Keyword, MeshHeading, Reference
from ..model.construction import direct_constructor
from ._walk import identifier, qualifier
from ._walk import plain_text as _pure_plain_text
from ._walk import text_of as _pure_text_of
from .markup import flatten
from .tables import MONTHS
from .text import normalise

cetree.import_lxml__etree()
import_datetime()

__all__ = [
    "article_ids",
    "dispatch",
    "history_dates",
    "identifier",
    "keywords",
    "mesh_headings",
    "people",
    "plain_text",
    "qualifier",
    "references",
    "sections",
    "simple_date",
    "text_of",
]

cdef object _new_author = direct_constructor(Author)
cdef object _new_heading = direct_constructor(MeshHeading)
cdef object _new_id = direct_constructor(ArticleId)
cdef object _new_keyword = direct_constructor(Keyword)
cdef object _new_section = direct_constructor(AbstractSection)
cdef object _new_reference = direct_constructor(Reference)
cdef dict _MONTHS = MONTHS


# -- nodes ----------------------------------------------------------------------------------------


cdef inline bint _named(tree.xmlNode* node, const char* name) noexcept:
    """Whether *node* is an element whose tag (lxml's ``.tag``) is *name*: no namespace."""
    return (
        node.type == tree.XML_ELEMENT_NODE
        and cetree._getNs(node) is NULL
        and strcmp(<const char*>node.name, name) == 0
    )


cdef inline bint _has_children(tree.xmlNode* node) noexcept:
    """``len(element) != 0``: a child lxml counts (element, comment, entity, PI)."""
    cdef tree.xmlNode* child = node.children
    while child is not NULL:
        if cetree._isElement(child):
            return True
        child = child.next
    return False


cdef inline object _attribute(tree.xmlNode* node, const char* name):
    return cetree.attributeValueFromNsName(node, NULL, <tree.const_xmlChar*>name)


cdef bint _tidy(str text):
    """Whether *text* is already normalised: no tab or line break, no double space, no space at
    either end (one pass in C)."""
    cdef Py_ssize_t n = len(text)
    cdef Py_UCS4 ch, before = 0
    if n == 0:
        return True
    if text[0] == u" " or text[n - 1] == u" ":
        return False
    for ch in text:
        if ch == u"\n" or ch == u"\t" or ch == u"\r" or (ch == u" " and before == u" "):
            return False
        before = ch
    return True


cdef str _text(cetree._Element owner, tree.xmlNode* node):
    """``text_of`` of the element *node* (of *owner*'s document)."""
    if _has_children(node):
        return normalise(flatten(cetree.elementFactory(owner._doc, node)))
    cdef str text = cetree.textOf(node)
    if text is None:
        return ""
    if _tidy(text):
        return text
    return normalise(text)


cdef str _raw(tree.xmlNode* node):
    """``normalise(element.text or "")``."""
    cdef str text = cetree.textOf(node)
    if text is None:
        return ""
    if _tidy(text):
        return text
    return normalise(text)


def text_of(element):
    """The normalised text of *element*, inline markup included (see ``_walk.text_of``)."""
    cdef cetree._Element owner = element
    if owner._c_node.type != tree.XML_ELEMENT_NODE:  # a comment or a PI: its own text
        return _pure_text_of(element)
    return _text(owner, owner._c_node)


def dispatch(dict table, record, element):
    """Call each known child's handler (see ``_walk.dispatch``)."""
    cdef cetree._Element owner = element
    cdef tree.xmlNode* child = owner._c_node.children
    while child is not NULL:
        if child.type == tree.XML_ELEMENT_NODE:  # others' tags are functions: in no table
            handler = table.get(cetree.namespacedName(child))
            if handler is not None:
                handler(record, cetree.elementFactory(owner._doc, child))
        child = child.next


def plain_text(element):
    """``normalise(element.text or "")`` (see ``_walk.plain_text``)."""
    cdef cetree._Element owner = element
    if owner._c_node.type != tree.XML_ELEMENT_NODE:  # a comment or a PI: its own text
        return _pure_plain_text(element)
    return _raw(owner._c_node)


cdef inline cetree._Element _proxy(cetree._Element owner, tree.xmlNode* node):
    return cetree.elementFactory(owner._doc, node)


# -- lists ----------------------------------------------------------------------------------------


def sections(element):
    """The sections of an abstract (see ``_walk.sections``)."""
    cdef cetree._Element owner = element
    cdef list found = []
    cdef tree.xmlNode* child = owner._c_node.children
    while child is not NULL:
        if _named(child, b"AbstractText"):
            text = _text(owner, child)
            label = _attribute(child, b"Label")
            if text or label:
                found.append(_new_section(text, label, _attribute(child, b"NlmCategory")))
        child = child.next
    return tuple(found)


def keywords(element, owner_name):
    """The keywords of a ``<KeywordList>`` (see ``_walk.keywords``)."""
    cdef cetree._Element owner = element
    cdef list found = []
    cdef tree.xmlNode* child = owner._c_node.children
    while child is not NULL:
        if _named(child, b"Keyword"):
            found.append(
                _new_keyword(
                    _text(owner, child), owner_name, _attribute(child, b"MajorTopicYN") == "Y"
                )
            )
        child = child.next
    return found


def article_ids(element):
    """(``IdType``, text) of each ``<ArticleId>`` (see ``_walk.article_ids``)."""
    cdef cetree._Element owner = element
    cdef list found = []
    cdef tree.xmlNode* child = owner._c_node.children
    while child is not NULL:
        if _named(child, b"ArticleId"):
            found.append((_attribute(child, b"IdType") or "", _raw(child)))
        child = child.next
    return found


cdef _references(cetree._Element owner, tree.xmlNode* node, list found):
    cdef tree.xmlNode* item = node.children
    cdef tree.xmlNode* part
    cdef tree.xmlNode* i
    cdef list ids
    while item is not NULL:
        if _named(item, b"Reference"):
            citation = ""
            ids = []
            part = item.children
            while part is not NULL:
                if _named(part, b"Citation"):
                    citation = _text(owner, part)
                elif _named(part, b"ArticleIdList"):
                    i = part.children
                    while i is not NULL:
                        if _named(i, b"ArticleId"):
                            value = _raw(i)
                            if value and not value.isspace():  # an empty one states nothing
                                ids.append(_new_id(value, _attribute(i, b"IdType"), True))
                        i = i.next
                part = part.next
            found.append(_new_reference(citation, tuple(ids)))
        elif _named(item, b"ReferenceList"):
            _references(owner, item, found)
        item = item.next


def references(element, list found):
    """Append the references of a ``<ReferenceList>`` to *found* (see ``_walk.references``)."""
    cdef cetree._Element owner = element
    _references(owner, owner._c_node, found)


def history_dates(element):
    """(``PubStatus``, datetime or element) of each ``<PubMedPubDate>`` (see
    ``_walk.history_dates``)."""
    cdef cetree._Element owner = element
    cdef list found = []
    cdef tree.xmlNode* child = owner._c_node.children
    while child is not NULL:
        if _named(child, b"PubMedPubDate"):
            value = _simple_date(child, True)
            found.append(
                (
                    _attribute(child, b"PubStatus") or "",
                    _proxy(owner, child) if value is None else value,
                )
            )
        child = child.next
    return found


# -- people ---------------------------------------------------------------------------------------


cdef _affiliation(cetree._Element owner, tree.xmlNode* node, list affiliations, list ids):
    cdef str text = ""
    cdef list found = []
    cdef tree.xmlNode* child = node.children
    while child is not NULL:
        if _named(child, b"Affiliation"):
            text = _text(owner, child)
        elif _named(child, b"Identifier"):
            found.append(identifier(_attribute(child, b"Source"), _raw(child)))
        child = child.next
    affiliations.append(text)
    ids.append(tuple(found))


cdef _person(cetree._Element owner, tree.xmlNode* node):
    last = fore = initials = suffix = collective = None
    cdef list identifiers = None
    cdef list affiliations = None
    cdef list affiliation_ids = []
    cdef tree.xmlNode* child = node.children
    cdef const char* name
    while child is not NULL:
        if child.type != tree.XML_ELEMENT_NODE or cetree._getNs(child) is not NULL:
            child = child.next
            continue
        name = <const char*>child.name
        if strcmp(name, b"LastName") == 0:
            last = _text(owner, child)
        elif strcmp(name, b"ForeName") == 0 or strcmp(name, b"FirstName") == 0:
            fore = _text(owner, child)
        elif strcmp(name, b"Initials") == 0:
            initials = _text(owner, child) or None
        elif strcmp(name, b"AffiliationInfo") == 0:
            if affiliations is None:
                affiliations = []
            _affiliation(owner, child, affiliations, affiliation_ids)
        elif strcmp(name, b"Identifier") == 0:
            if identifiers is None:
                identifiers = []
            identifiers.append(identifier(_attribute(child, b"Source"), _raw(child)))
        elif strcmp(name, b"Suffix") == 0:
            suffix = _text(owner, child)
        elif strcmp(name, b"CollectiveName") == 0:
            collective = _text(owner, child)
        elif strcmp(name, b"Affiliation") == 0:
            if affiliations is None:
                affiliations = []
            affiliations.append(_text(owner, child))
            affiliation_ids.append(())
        elif strcmp(name, b"MiddleName") == 0 and cetree.textOf(child):
            fore = f"{fore} {_text(owner, child)}" if fore else _text(owner, child)
        child = child.next
    full = short = None
    if initials is None and fore:  # PubMed derives them (older investigator lists lack them)
        initials = "".join([word[0] for word in fore.replace("-", " ").split()]) or None
    if last is not None:
        full = f"{last}, {fore}" if fore else last
        short = f"{last} {initials}" if initials else last
        if suffix:
            full += f" {suffix}"
            short += f" {suffix}"
    equal = _attribute(node, b"EqualContrib")
    return _new_author(
        full,
        short,
        collective,
        () if identifiers is None else tuple(identifiers),
        () if affiliations is None else tuple(affiliations),
        tuple(affiliation_ids) if any(affiliation_ids) else (),
        _attribute(node, b"ValidYN") != "N",
        None if equal is None else equal == "Y",
    )


def people(element):
    """The person of each element child of *element* (see ``_walk.people``)."""
    cdef cetree._Element owner = element
    cdef list found = []
    cdef tree.xmlNode* child = owner._c_node.children
    while child is not NULL:
        if child.type == tree.XML_ELEMENT_NODE:
            found.append(_person(owner, child))
        child = child.next
    return tuple(found)


# -- MeSH -----------------------------------------------------------------------------------------


def mesh_headings(element):
    """The headings of a ``<MeshHeadingList>`` (see ``_walk.mesh_headings``)."""
    cdef cetree._Element owner = element
    cdef list headings = []
    cdef list qualifiers
    cdef tree.xmlNode* heading = owner._c_node.children
    cdef tree.xmlNode* part
    while heading is not NULL:
        if _named(heading, b"MeshHeading"):
            descriptor = ""
            major = False
            ui = None
            qualifiers = []
            part = heading.children
            while part is not NULL:
                if _named(part, b"DescriptorName"):
                    descriptor = _text(owner, part)
                    major = _attribute(part, b"MajorTopicYN") == "Y"
                    ui = _attribute(part, b"UI")
                elif _named(part, b"QualifierName"):
                    qualifiers.append(
                        qualifier(
                            _text(owner, part),
                            _attribute(part, b"MajorTopicYN") == "Y",
                            _attribute(part, b"UI"),
                        )
                    )
                part = part.next
            headings.append(_new_heading(descriptor, major, tuple(qualifiers), ui))
        heading = heading.next
    return tuple(headings)


# -- dates ----------------------------------------------------------------------------------------


cdef enum:
    YEAR = 0
    MONTH = 1
    DAY = 2
    HOUR = 3
    MINUTE = 4


cdef inline int _part(const char* name) noexcept:
    if strcmp(name, b"Year") == 0:
        return YEAR
    if strcmp(name, b"Month") == 0:
        return MONTH
    if strcmp(name, b"Day") == 0:
        return DAY
    if strcmp(name, b"Hour") == 0:
        return HOUR
    if strcmp(name, b"Minute") == 0:
        return MINUTE
    return -1


cdef long _number(str text) except -2:
    """*text* as a number when it is ASCII digits (the pure twin's ``isascii() and isdigit()``
    then ``int()``), else -1; -3 for a number too large for any date part."""
    cdef Py_ssize_t n = len(text)
    cdef long value = 0
    cdef Py_UCS4 ch
    if n == 0:
        return -1
    for ch in text:
        if ch < 48 or ch > 57:  # not 0-9
            return -1
    if n > 9:  # beyond a C long's safe digits: leading zeros aside, too large for any date part
        text = text.lstrip("0")  # (never int() on it: Python refuses 4,300 digits and more)
        return -3 if len(text) > 9 else int(text or "0")
    for ch in text:
        value = value * 10 + (<long>ch - 48)
    return value


def simple_date(element, bint with_time):
    """The date of *element* when it is plain, else ``None`` (see ``_walk.simple_date``)."""
    cdef cetree._Element owner = element
    return _simple_date(owner._c_node, with_time)


cdef object _simple_date(tree.xmlNode* node, bint with_time):
    cdef tree.xmlNode* child = node.children
    cdef list texts = [None, None, None, None, None]
    cdef long numbers[5]
    cdef int slot, i
    cdef object text
    while child is not NULL:
        if cetree._isElement(child):
            if child.type != tree.XML_ELEMENT_NODE or cetree._getNs(child) is not NULL:
                return None
            slot = _part(<const char*>child.name)
            if slot < 0 or texts[slot] is not None or _has_children(child):
                return None
            text = cetree.textOf(child)
            if text is None:
                return None
            texts[slot] = text
        child = child.next
    text = texts[MONTH]
    month = _MONTHS.get(text if text is not None else "")
    if month is None:
        return None
    if texts[HOUR] is None:
        texts[HOUR] = "0"
    if texts[MINUTE] is None:
        texts[MINUTE] = "0"
    for i in (YEAR, DAY, HOUR, MINUTE):
        text = texts[i]
        if text is None:
            return None
        numbers[i] = _number(text)
        if numbers[i] < 0:  # not digits, or too many for any date
            return None
    try:
        if with_time:
            return datetime_new(
                numbers[YEAR], month, numbers[DAY], numbers[HOUR], numbers[MINUTE], 0, 0, None
            )
        return date_new(numbers[YEAR], month, numbers[DAY])
    except (ValueError, OverflowError):
        return None
