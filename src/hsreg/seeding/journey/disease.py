"""The disease a journey follows: lesion counts per region of a given severity (ST-1, ST-2) and
their change after treatment (TX-9, MO-2)."""

from __future__ import annotations

import random
from decimal import Decimal

from hsreg.assessments.scoring import RegionCounts
from hsreg.guideline import scores

from .base import JourneyBase

State = tuple[RegionCounts, ...]


def an_of(state: State) -> int:
    return sum(r.nodules + r.abscesses for r in state)


def lesions_of(state: State) -> scores.Lesions:
    return scores.Lesions(
        sum(r.nodules for r in state),
        sum(r.abscesses for r in state),
        sum(r.draining_tunnels for r in state),
    )


def _distance(rng: random.Random, lesions: int) -> Decimal:
    """A longest distance in cm (one decimal) growing with the number of lesions (XS-3)."""
    return Decimal(rng.randint(8, 30 + 25 * min(lesions, 8))) / 10


class Disease(JourneyBase):
    """Lesion states of the patient's regions."""

    def state(self, severity: str, *, hurley: int | None = None) -> State:
        """Counts of a given IHS4 severity (ST-2: mild <= 3, moderate 4-10, severe >= 11)
        spread over the patient's regions; Hurley per region (ST-1) from its tunnels."""
        rng = self.rng
        while True:
            if severity == "mild":
                nodules, abscesses, tunnels = rng.randint(1, 3), rng.choice((0, 0, 1)), 0
            elif severity == "moderate":
                nodules, abscesses, tunnels = (
                    rng.randint(2, 6),
                    rng.randint(0, 2),
                    rng.choice((0, 1)),
                )
            else:
                nodules, abscesses, tunnels = (
                    rng.randint(4, 14),
                    rng.randint(1, 5),
                    rng.randint(1, 4),
                )
            category = scores.ihs4_category(scores.ihs4(nodules, abscesses, tunnels))
            if category == severity and nodules + abscesses >= (1 if severity == "mild" else 4):
                break
        regions = self.regions[: max(1, min(len(self.regions), nodules + abscesses + tunnels))]
        counts = {r: [0, 0, 0] for r in regions}
        for index, total in enumerate((nodules, abscesses, tunnels)):
            for n in range(total):
                # the nodules go one to each region first, the rest anywhere
                region = regions[n] if n < len(regions) and index == 0 else rng.choice(regions)
                counts[region][index] += 1
        stages = {
            r: 1 if t == 0 else (3 if t >= 3 or rng.random() < 0.25 else 2)
            for r, (_, _, t) in counts.items()
        }
        involved = [r for r in regions if sum(counts[r])]
        if hurley is not None and max(stages[r] for r in involved) < hurley:
            # scarring from earlier flares: Hurley II without a draining tunnel today
            stages[max(involved, key=lambda r: sum(counts[r]))] = hurley
        return tuple(
            self._region(r, counts[r][0], counts[r][1], counts[r][2], stages[r]) for r in involved
        )

    def _region(
        self,
        region: str,
        nodules: int,
        abscesses: int,
        tunnels: int,
        hurley: int | None,
    ) -> RegionCounts:
        lesions = nodules + abscesses + tunnels
        distance = separated = None
        if self.sartorius and lesions:
            distance = float(_distance(self.rng, lesions))
            separated = not (tunnels >= 2 and self.rng.random() < 0.5)
        return RegionCounts(region, nodules, abscesses, tunnels, hurley, distance, separated)

    def respond(self, base: State, kind: str) -> State:
        """The state after treatment, judged against ``base`` (TX-9, MO-2): ``responder`` AN
        reduced >= 50 % with no more abscesses or tunnels (HiSCR); ``partial`` 25-49 %;
        ``none`` < 25 % or worse."""
        rng = self.rng
        an = an_of(base)
        if kind == "responder":
            wanted = [x for x in range(an + 1) if scores.reduced_by(an, x, 50)]
        elif kind == "partial":
            wanted = [
                x
                for x in range(an + 1)
                if scores.reduced_by(an, x, 25) and not scores.reduced_by(an, x, 50)
            ]
        else:
            wanted = [x for x in range(an + 4) if not scores.reduced_by(an, x, 25)]
        target = rng.choice(wanted or [an])
        cells = [[r.nodules, r.abscesses, r.draining_tunnels] for r in base]
        while sum(c[0] + c[1] for c in cells) > target:
            cell = rng.choice([c for c in cells if c[0] + c[1] > 0])
            cell[0 if cell[0] and (not cell[1] or rng.random() < 0.6) else 1] -= 1
        while sum(c[0] + c[1] for c in cells) < target:
            rng.choice(cells)[0] += 1
        if kind == "responder":
            for cell in cells:
                cell[2] = rng.randint(0, cell[2]) if cell[2] else 0
        elif kind == "none":
            for cell in cells:
                cell[2] += rng.choice((0, 0, 0, 1))
        return tuple(
            self._region(r.region, min(c[0], 50), min(c[1], 20), min(c[2], 20), r.hurley)
            for r, c in zip(base, cells, strict=True)
        )

    # forms
