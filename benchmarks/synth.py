"""Synthetic MEDLINE records for the benchmarks, when ``../shared/corpus`` is not there.

Every record is fictional (PMIDs from 90000000 up, ``example.org`` addresses) but has the field mix
and layout of a PubMed MEDLINE export: 5-15 authors with FAU/AU/AUID/AD, a structured abstract of
200-300 words, 10-20 MeSH headings with qualifiers, PHST history, AID, SO and the rest.  Values are
laid out with PubMed's modern wrap rule: greedy word wrap at 81 value characters, continuation lines
indented by 6 spaces, and every wrapped line keeps one trailing space.

The output depends only on the seed, so two runs with the same seed give the same bytes.

Usage: ``python benchmarks/synth.py --size-mb 5 -o out.txt``.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterator
from pathlib import Path

__all__ = ["WIDTH", "format_field", "iter_synthetic", "make_record", "wrap", "write_synthetic"]

WIDTH = 81
"""Maximum number of value characters on one line (PubMed's modern layout, 87 columns)."""

FIRST_PMID = 90_000_000

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _split(text: str) -> tuple[str, ...]:
    """A word list written one entry after another, separated by ``|`` (entries hold spaces)."""
    return tuple(item.strip() for item in text.split("|") if item.strip())


def _split_words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


_SURNAMES = _split(
    """
    Achterberg | Bianchi | Castellano | Dubois | Eriksson | Fernandes | Garcia-Lopez |
    Haraldsen | Ibrahim | Jovanovic | Kowalczyk | Lindqvist | Moreau | Nakamura | Okonkwo |
    Petrov | Quintero | Rasmussen | Schneider | Takahashi | Ulrich | Van den Berg | Wojcik |
    Xu | Yilmaz | Zimmermann | Müller | Sánchez | Łukasiewicz | Björkman | O'Donnell | Chen |
    Wang | Li | Kim | Park | Singh | Patel | Rossi | Novak
    """
)
_FORENAMES = _split(
    """
    Anna | Bruno | Carla | David | Elif | Farid | Greta | Hiroshi | Ines | Jonas | Katarzyna |
    Lars | Mei | Nikolai | Olga | Pedro | Qing | Rosa | Stefan | Tomoko | Ulla | Vikram | Wen |
    Yusuf | Zofia | José Luis | Anne-Marie | Jean Pierre | Søren | Chiara | Mateus | Aisha |
    Hyun-woo | Priya | Sven | Lucía | Emeka | Noor
    """
)
_DEPARTMENTS = _split(
    """
    Department of Internal Medicine | Department of Epidemiology | Division of Cardiology |
    Institute of Molecular Biology | Department of Neurology | Centre for Clinical Research |
    Laboratory of Cellular Immunology | Department of Public Health Sciences |
    Division of Infectious Diseases | Department of Surgery | School of Pharmacy |
    Department of Biostatistics and Data Science | Unit of Genetic Epidemiology
    """
)
_INSTITUTIONS = _split(
    """
    University of Northhaven | Saint Aurele University Hospital | Kleinhausen Medical School |
    Riverside Institute of Health | Universidad de Valdemora | Tokai Central University |
    Hospital de Sao Bento do Vale | Lakeshore Children's Hospital | Eastbridge Cancer Centre |
    Nordvik University Hospital | Instituto Nacional de Salud Publica de Arvena
    """
)
_PLACES = (
    ("Northhaven", "USA"),
    ("Saint-Aurele", "France"),
    ("Kleinhausen", "Germany"),
    ("Valdemora", "Spain"),
    ("Nagahama", "Japan"),
    ("Sao Bento do Vale", "Brazil"),
    ("Eastbridge", "United Kingdom"),
    ("Nordvik", "Norway"),
    ("Arvena", "Mexico"),
    ("Lakeshore", "Canada"),
    ("Zhenhai", "China"),
    ("Pune", "India"),
)
_WORDS = _split_words(
    """
    patients treatment cohort risk associated clinical outcomes study analysis increased
    significantly compared group controls expression levels years age mortality incidence
    disease response cells protein signalling pathway inflammation therapy randomised trial
    follow-up baseline adjusted hazard ratio confidence interval median primary secondary
    endpoint observed reduced higher lower among between during after before within the of and
    in with was were for to a by on that this these not or as from at an participants women men
    children adults older serum plasma tumour mutation variant genome-wide sequencing receptor
    inhibitor dose placebo adverse events safety efficacy quality life survival progression
    recurrence diagnosis screening prevalence population-based longitudinal cross-sectional
    multivariable regression model sensitivity specificity accuracy biomarker imaging magnetic
    resonance tomography microbiota metabolic insulin glucose obesity hypertension stroke
    myocardial infarction renal hepatic pulmonary chronic acute severe mild moderate infection
    vaccine antibody viral bacterial resistance (p<0.001) (n=412) 95% CI 1.42-2.87 0.8 12-month
    IL-6 TNF-alpha
    """
)
_LABELS = ("BACKGROUND", "METHODS", "RESULTS", "CONCLUSIONS")
_MESH = _split(
    """
    Humans | Female | Male | Adult | Middle Aged | Aged | Aged, 80 and over | Child |
    Adolescent | Young Adult | Risk Factors | Prospective Studies | Retrospective Studies |
    Cohort Studies | Treatment Outcome | Incidence | Prevalence | Follow-Up Studies |
    Diabetes Mellitus, Type 2 | Hypertension | Stroke | Myocardial Infarction | Obesity |
    Neoplasms | Breast Neoplasms | Lung Neoplasms | Colorectal Neoplasms | Inflammation |
    Interleukin-6 | Tumor Necrosis Factor-alpha | Signal Transduction | Gene Expression |
    Polymorphism, Single Nucleotide | Genome-Wide Association Study | Biomarkers |
    Magnetic Resonance Imaging | Tomography, X-Ray Computed | Gastrointestinal Microbiome |
    Insulin Resistance | Blood Glucose | Kidney Diseases | Liver Cirrhosis | COVID-19 |
    SARS-CoV-2 | Vaccination | Drug Resistance, Bacterial | Anti-Bacterial Agents |
    Quality of Life | Survival Analysis | Proportional Hazards Models | Mice |
    Disease Models, Animal | Cells, Cultured | Receptors, Cell Surface
    """
)
_QUALIFIERS = _split(
    """
    drug therapy | epidemiology | genetics | metabolism | pathology | therapy | diagnosis |
    mortality | prevention & control | etiology | blood | physiopathology | immunology |
    complications | diagnostic imaging | adverse effects | therapeutic use | pharmacology |
    surgery | methods
    """
)
_PUB_TYPES = (
    ("Journal Article",),
    ("Journal Article", "Randomized Controlled Trial"),
    ("Journal Article", "Research Support, Non-U.S. Gov't"),
    ("Journal Article", "Multicenter Study", "Research Support, N.I.H., Extramural"),
    ("Journal Article", "Review"),
    ("Journal Article", "Observational Study"),
)
_JOURNALS = (
    ("J Clin Res Northhaven", "Journal of clinical research (Northhaven)", "USA"),
    ("Eur J Perioper Rehabil", "European journal of perioperative rehabilitation", "France"),
    ("Int J Mol Pathways", "International journal of molecular pathways", "Switzerland"),
    ("Neurosci Ageing Rep", "Neuroscience and ageing reports", "Netherlands"),
    ("Public Health Arvena", "Public health of Arvena", "Mexico"),
    ("BMC Synth Med", "BMC synthetic medicine", "England"),
)
_KEYWORDS = _split(
    """
    cohort study | machine learning | biomarkers | inflammation | mortality | prognosis |
    randomised controlled trial | quality of life | genomics | public health |
    cardiovascular risk | type 2 diabetes
    """
)
_CHEMICALS = _split(
    """
    0 (Biomarkers) | 0 (Interleukin-6) | IY9XDZ35W2 (Glucose) | 0 (Insulin) |
    0 (Anti-Bacterial Agents) | 0 (Tumor Necrosis Factor-alpha) |
    EC 2.7.11.1 (Protein Kinases)
    """
)


def wrap(value: str, width: int = WIDTH) -> list[str]:
    """The value parts of a field's lines: greedy word wrap at *width* value characters.

    Every part but the last keeps the space it was broken on as one trailing space; a word longer
    than *width* stands alone on its line.  *value* must be single-spaced without edge spaces.
    """
    parts: list[str] = []
    rest = value
    while len(rest) > width:
        brk = rest.rfind(" ", 0, width + 1)
        if brk <= 0:
            brk = rest.find(" ", 1)
            if brk < 0:
                break
        parts.append(rest[: brk + 1])
        rest = rest[brk + 1 :]
    parts.append(rest)
    return parts


def format_field(tag: str, value: str) -> str:
    """One field as PubMed writes it: ``"TAG - "`` then 6-space continuation lines, LF endings."""
    parts = wrap(value)
    return "".join([f"{tag:<4}- {parts[0]}\n", *(f"      {part}\n" for part in parts[1:])])


def _sentence(rng: random.Random, low: int, high: int) -> list[str]:
    words = [rng.choice(_WORDS) for _ in range(rng.randint(low, high))]
    words[0] = words[0][:1].upper() + words[0][1:]
    words[-1] += "."
    return words


def _abstract(rng: random.Random) -> str:
    """A structured abstract of 200-300 words."""
    target = rng.randint(200, 300)
    sections = [[f"{label}:"] for label in _LABELS]
    words = 4
    index = 0
    while words < target:
        sentence = _sentence(rng, 8, 24)[: target - words]
        if not sentence[-1].endswith("."):
            sentence[-1] += "."
        sections[min(index // 2, 3)].extend(sentence)
        words += len(sentence)
        index += 1
    return " ".join(word for section in sections if len(section) > 1 for word in section)


def _initials(forename: str) -> str:
    return "".join(part[0] for part in forename.replace("-", " ").split())


def _orcid(rng: random.Random) -> str:
    digits = "".join(str(rng.randint(0, 9)) for _ in range(15))
    return f"0000-{digits[3:7]}-{digits[7:11]}-{digits[11:15]}"


def _affiliation(rng: random.Random, email: str | None) -> str:
    city, country = rng.choice(_PLACES)
    text = f"{rng.choice(_DEPARTMENTS)}, {rng.choice(_INSTITUTIONS)}, {city}, {country}."
    if email:
        text += f" Electronic address: {email}."
    return text


def _stamp(rng: random.Random, year: int, month: int, day: int) -> str:
    return f"{year}/{month:02d}/{day:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}"


def make_record(rng: random.Random, pmid: int) -> str:
    """The text of one fictional record (no blank line after it)."""
    year = rng.randint(2012, 2024)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    abbr, title, country = rng.choice(_JOURNALS)
    issn = f"{rng.randint(1000, 2999)}-{rng.randint(1000, 9999)}"
    volume, issue = rng.randint(1, 80), rng.randint(1, 12)
    first_page = rng.randint(1, 2000)
    pages = f"{first_page}-{first_page + rng.randint(4, 18)}"
    doi = f"10.5555/{abbr.split()[0].lower()}.{year}.{pmid % 100000:05d}"
    pii = f"S{issn}({year % 100:02d}){rng.randint(10000, 99999)}-{rng.randint(0, 9)}"
    medline = rng.random() < 0.8

    out: list[str] = [format_field("PMID", str(pmid)), format_field("OWN", "NLM")]
    out.append(format_field("STAT", "MEDLINE" if medline else "Publisher"))
    if medline:
        out.append(format_field("DCOM", f"{year}{min(month + 1, 12):02d}{day:02d}"))
    out.append(format_field("LR", f"{year + 1}{month:02d}{day:02d}"))
    out.append(format_field("IS", f"{issn} (Electronic)"))
    out.append(format_field("IS", f"{issn} (Linking)"))
    out.append(format_field("VI", str(volume)))
    out.append(format_field("IP", str(issue)))
    out.append(format_field("DP", f"{year} {_MONTHS[month - 1]}"))
    out.append(format_field("TI", " ".join(_sentence(rng, 10, 28))))
    out.append(format_field("PG", pages))
    out.append(format_field("LID", f"{doi} [doi]"))
    out.append(format_field("AB", _abstract(rng)))
    out.append(format_field("CI", f"(c) {year} The Authors. Published by Fictional Press Ltd."))
    for position in range(rng.randint(5, 15)):
        surname, forename = rng.choice(_SURNAMES), rng.choice(_FORENAMES)
        out.append(format_field("FAU", f"{surname}, {forename}"))
        out.append(format_field("AU", f"{surname} {_initials(forename)}"))
        if rng.random() < 0.4:
            out.append(format_field("AUID", f"ORCID: {_orcid(rng)}"))
        email = None
        if position == 0 or rng.random() < 0.05:
            email = f"{surname.lower().replace(' ', '')[:10]}@example.org"
        for _ in range(1 if rng.random() < 0.75 else rng.randint(2, 3)):
            out.append(format_field("AD", _affiliation(rng, email)))
            email = None
    out.append(format_field("LA", "eng"))
    if rng.random() < 0.3:
        out.append(
            format_field("GR", f"R01 AG0{rng.randint(10000, 99999)}/AG/NIA NIH HHS/United States")
        )
    out.extend(format_field("PT", pub_type) for pub_type in rng.choice(_PUB_TYPES))
    out.append(format_field("DEP", f"{year}{month:02d}{day:02d}"))
    out.append(format_field("PL", country))
    out.append(format_field("TA", abbr))
    out.append(format_field("JT", title))
    out.append(format_field("JID", str(rng.randint(100000000, 999999999))))
    if medline:
        out.extend(format_field("RN", chem) for chem in rng.sample(_CHEMICALS, rng.randint(0, 3)))
    out.append(format_field("SB", "IM"))
    if medline:
        for heading in rng.sample(_MESH, rng.randint(10, 20)):
            star = "*" if rng.random() < 0.2 else ""
            quals = rng.sample(_QUALIFIERS, rng.choice((0, 0, 1, 1, 2)))
            text = (
                star + heading + "".join(f"/{'*' if rng.random() < 0.3 else ''}{q}" for q in quals)
            )
            out.append(format_field("MH", text))
    if rng.random() < 0.4:
        out.append(format_field("PMC", f"PMC{rng.randint(1000000, 9999999)}"))
    if rng.random() < 0.6:
        out.append(format_field("OTO", "NOTNLM"))
        out.extend(format_field("OT", kw) for kw in rng.sample(_KEYWORDS, rng.randint(3, 6)))
    if rng.random() < 0.5:
        out.append(
            format_field("COIS", "The authors declare that they have no competing interests.")
        )
    entrez = _stamp(rng, year, month, day)
    out.append(format_field("EDAT", entrez))
    out.append(format_field("MHDA", _stamp(rng, year, min(month + 1, 12), day)))
    out.append(format_field("CRDT", entrez))
    received = max(1, month - 3)
    out.append(format_field("PHST", f"{year}/{received:02d}/{day:02d} 00:00 [received]"))
    out.append(
        format_field("PHST", f"{year}/{min(received + 1, 12):02d}/{day:02d} 00:00 [revised]")
    )
    out.append(format_field("PHST", f"{year}/{month:02d}/{max(1, day - 5):02d} 00:00 [accepted]"))
    out.append(format_field("PHST", f"{entrez} [pubmed]"))
    out.append(format_field("PHST", f"{entrez} [entrez]"))
    if medline:
        out.append(format_field("PHST", f"{_stamp(rng, year, min(month + 1, 12), day)} [medline]"))
    out.append(format_field("AID", f"{pii} [pii]"))
    out.append(format_field("AID", f"{doi} [doi]"))
    out.append(format_field("PST", "ppublish"))
    source = f"{abbr}. {year} {_MONTHS[month - 1]};{volume}({issue}):{pages}. doi: {doi}."
    out.append(format_field("SO", source))
    return "".join(out)


def iter_synthetic(seed: int = 0) -> Iterator[str]:
    """Records without end, each followed by its blank separator line, deterministic in *seed*."""
    rng = random.Random(seed)
    pmid = FIRST_PMID
    while True:
        yield make_record(rng, pmid) + "\n"
        pmid += 1


def write_synthetic(path: Path, target_bytes: int, seed: int = 0) -> tuple[int, int]:
    """Stream records into *path* until it holds at least *target_bytes*; (bytes, records)."""
    written = records = 0
    with open(path, "wb") as out:
        for text in iter_synthetic(seed):
            data = text.encode("utf-8")
            out.write(data)
            written += len(data)
            records += 1
            if written >= target_bytes:
                break
    return written, records


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=float, default=1.0, help="at least this many MB (1e6 B)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("-o", "--output", type=Path, required=True)
    args = parser.parse_args(argv)
    size, records = write_synthetic(args.output, int(args.size_mb * 1_000_000), args.seed)
    print(f"wrote {records} records, {size} bytes to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
