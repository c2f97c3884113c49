"""The model: lifecycles, history entries and their fold, parties, sources, measures,
deadlines, negotiations and the Scenario that holds them."""
