"""HISREG's tables: hsreg's registry written as the old registry's export (issue 14, point 5).

The data dictionary (records.klokebok, "klokebok" 2021-01-07) names every table (``tabell``),
column (``fysisk_feltnavn``) and code (``listeverdier``). ``columns`` says where each column
comes from in hsreg or why it stays empty, ``rows`` reads the finished, current forms, and
``export`` writes one ``;``-separated UTF-8 file per table. No models, no migrations.
"""
