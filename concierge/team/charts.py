"""Small trend lines drawn on the server as SVG: weekly points, no chart library."""

from dataclasses import dataclass

WIDTH = 96
HEIGHT = 24
PAD = 2


@dataclass(frozen=True)
class Spark:
    segments: list[str]  # "x,y x,y …" runs of consecutive weeks with a value
    last_x: float | None
    last_y: float | None
    width: int = WIDTH
    height: int = HEIGHT

    @property
    def empty(self) -> bool:
        return self.last_x is None


def spark(values: list[float | None], *, floor: float | None = None) -> Spark:
    """One point per week, oldest first; a week without a value breaks the line."""
    known = [v for v in values if v is not None]
    if not known:
        return Spark([], None, None)
    low = min(known) if floor is None else min(floor, *known)
    high = max(known)
    span = (high - low) or 1
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    segments, run = [], []
    last = (None, None)
    for i, value in enumerate(values):
        if value is None:
            if run:
                segments.append(" ".join(run))
            run = []
            continue
        x = round(PAD + i * step, 1)
        y = round(HEIGHT - PAD - (value - low) / span * (HEIGHT - 2 * PAD), 1)
        run.append(f"{x},{y}")
        last = (x, y)
    if run:
        segments.append(" ".join(run))
    # A single point still shows as a dot, not an invisible one-point line.
    return Spark(segments, *last)
