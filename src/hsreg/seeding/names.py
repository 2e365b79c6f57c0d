"""Norwegian first and last names for synthetic patients: common names, so no generated
patient stands out, and none is meant to be a real person (the id numbers are synthetic)."""

from __future__ import annotations

FEMALE = (
    "Anne", "Inger", "Kari", "Marit", "Ingrid", "Liv", "Eva", "Berit", "Astrid", "Bjørg",
    "Hilde", "Anna", "Solveig", "Marianne", "Randi", "Ida", "Nina", "Maria", "Elisabeth",
    "Kristin", "Bente", "Heidi", "Silje", "Hanne", "Gunn", "Tone", "Camilla", "Ragnhild",
    "Julie", "Nora", "Emma", "Sara", "Ingeborg", "Thea", "Maja", "Sofie", "Tuva", "Emilie",
    "Linnea", "Ella", "Kristine", "Mari", "Tonje", "Line", "Marte", "Ane", "Stine", "Guro",
    "Synnøve", "Åse", "Sigrid", "Frida", "Vilde", "Amalie", "Hedda", "Malin", "Oda", "Karoline",
)  # fmt: skip

MALE = (
    "Jan", "Per", "Bjørn", "Ole", "Lars", "Kjell", "Knut", "Arne", "Svein", "Hans", "Geir",
    "Thomas", "Tor", "Morten", "Terje", "Odd", "Erik", "Martin", "Andreas", "Rune", "Trond",
    "Anders", "Harald", "Jon", "Tore", "Olav", "Espen", "Kristian", "Jonas", "Magnus", "Henrik",
    "Sindre", "Eirik", "Håkon", "Sander", "Emil", "Mathias", "Jakob", "Filip", "Aksel", "Oskar",
    "Sigurd", "Torbjørn", "Øyvind", "Ståle", "Vegard", "Even", "Halvor", "Aleksander", "Daniel",
    "Mohammed", "Ali", "Tobias", "Elias", "Johannes", "Sverre", "Vetle", "Gaute",
)  # fmt: skip

LAST = (
    "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen",
    "Jensen", "Karlsen", "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen",
    "Johannessen", "Andreassen", "Jacobsen", "Dahl", "Jørgensen", "Henriksen", "Lund",
    "Halvorsen", "Sørensen", "Jakobsen", "Moen", "Gundersen", "Iversen", "Strand", "Solberg",
    "Svendsen", "Eide", "Knutsen", "Martinsen", "Paulsen", "Bakken", "Kristoffersen",
    "Mathisen", "Lie", "Amundsen", "Nguyen", "Rasmussen", "Lunde", "Solheim", "Berge", "Moe",
    "Nygård", "Bakke", "Kristensen", "Fredriksen", "Holm", "Lien", "Hauge", "Christensen",
    "Andresen", "Nielsen", "Knudsen", "Evensen", "Sæther", "Aas", "Myhre", "Hanssen", "Ahmed",
    "Haugland", "Thomassen", "Sivertsen", "Simonsen", "Danielsen", "Berntsen", "Sandvik",
    "Rønning", "Arnesen", "Antonsen", "Næss", "Vik", "Haug", "Ellingsen", "Thorsen",
    "Edvardsen", "Birkeland", "Isaksen", "Gulbrandsen", "Ruud", "Aasen", "Strøm", "Myklebust",
    "Tangen", "Ødegård", "Eliassen", "Helland", "Bøe", "Jenssen", "Aune", "Mikkelsen", "Tveit",
    "Brekke", "Abrahamsen", "Madsen", "Khan", "Hussain", "Engen", "Foss", "Grande", "Hovland",
)  # fmt: skip
