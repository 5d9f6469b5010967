"""Names a person types for a GPU: its id (`VR200`), its common name (`Rubin`, the model
word of its catalog name "NVIDIA Rubin (...)") or its full catalog name, in any case.
One lookup for the command line and the game's screens."""

from __future__ import annotations

from collections.abc import Iterable

from game.catalog.records import Catalog, Gpu

_MAKERS = ("nvidia",)


def common_name(gpu: Gpu) -> str:
    """The word people call the GPU by: the first word of its name after the maker
    ("NVIDIA Rubin (one GPU of a VR NVL rack)" -> "Rubin")."""
    words = gpu.name.replace("(", " ").split()
    while words and words[0].lower() in _MAKERS:
        words = words[1:]
    return words[0] if words else gpu.id


def gpu_names(gpu: Gpu) -> tuple[str, ...]:
    """Every name accepted for the GPU, id first."""
    return tuple(dict.fromkeys((gpu.id, common_name(gpu), gpu.name)))


def find_gpu(catalog: Catalog, text: str) -> Gpu:
    """The GPU a person means by `text` (id, common name or full name, any case).
    Raises LookupError naming the known GPUs when nothing, or more than one, matches."""
    key = " ".join(text.split()).casefold()
    hits = [g for g in catalog.gpus if key in (n.casefold() for n in gpu_names(g))]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise LookupError(f"GPU {text!r} is ambiguous: {', '.join(g.id for g in hits)}")
    raise LookupError(f"unknown GPU {text!r} (known: {known_gpus(catalog.gpus)})")


def known_gpus(gpus: Iterable[Gpu]) -> str:
    """The GPUs as a person reads them: `A100, ..., VR200 (Rubin), FEYNMAN (Feynman)`."""
    out = []
    for g in gpus:
        common = common_name(g)
        out.append(g.id if common.casefold() == g.id.casefold() else f"{g.id} ({common})")
    return ", ".join(out)
