"""HISREG's tables: hsreg's registry written as the old registry's export, and such an export
read back into an empty registry (issue 14, point 5).

The data dictionary (records.klokebok, "klokebok" 2021-01-07) names every table (``tabell``),
column (``fysisk_feltnavn``) and code (``listeverdier``). Export: ``columns`` says where each
column comes from in hsreg or why it stays empty, ``rows`` reads the finished, current forms,
``export`` writes one ``;``-separated UTF-8 file per table and ``keyfiles`` hsreg's units.csv
and (when asked) patients.csv beside them. Import: ``readers`` reads the files, ``checks`` the
dictionary's rules of each cell, ``formdata`` turns a line into its form's answers,
``people`` registers units and patients, ``drugs`` turns drug boxes into courses, ``ids``
keeps HISREG's keys as hsreg's ids, ``refresh`` refreshes what is derived once per patient,
``importing`` runs it all in one transaction and ``problems`` collects what is wrong;
``landing`` says where each column lands, for the README; ``coverage`` lists every form
variable of the dictionary and where hsreg stores it (issue 16). No models, no migrations.
"""
