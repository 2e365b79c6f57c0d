"""The patient's objection to registration (reservasjon): the quality-registry regulation lets a
patient refuse to be in the registry. Recording it deletes everything identifiable about them
and keeps only a keyed hash of the number, so that they are never registered again."""
