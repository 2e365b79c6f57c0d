"""What is wrong with an import's files, each by file, line and column (the column's name in
the file's header), collected so that one run reports all of them (up to ``CAP``) rather than
the first: a registry migration is fixed in the files and run again, and a list of every
problem saves a round per problem.

A message never holds a national id number, a name or a free text of the files (privacy: the
command's output may end up in a ticket); a code or a number of a coded column may be quoted.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: problems listed at most; a run with more says how many were left out
CAP = 200


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem: ``line`` 0 is the file as a whole, ``column`` '' a whole line."""

    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f" line {self.line}"
        if self.column:
            where += f", column {self.column}"
        return f"{where}: {self.message}"


@dataclass
class Problems:
    """Every problem found, in the order found; ``total`` counts those beyond the cap too."""

    cap: int = CAP
    found: list[Problem] = field(default_factory=list)
    total: int = 0

    def add(self, file: str, line: int, column: str, message: str) -> None:
        self.total += 1
        if len(self.found) < self.cap:
            self.found.append(Problem(file, line, column, message))

    def __bool__(self) -> bool:
        return self.total > 0

    def lines(self) -> list[str]:
        """The report: one line per problem, and how many more there were."""
        shown = [str(p) for p in self.found]
        if self.total > len(self.found):
            shown.append(f"... and {self.total - len(self.found)} more problems")
        return shown
