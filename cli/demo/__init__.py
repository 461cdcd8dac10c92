"""Demo seeding: a county with its catalog, users for every role and some history."""
