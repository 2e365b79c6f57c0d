"""The registry's reports (RG-1): quality indicators per unit, health trust, health region and
nation, distributions and averages, coverage, the annual report and the exports."""
