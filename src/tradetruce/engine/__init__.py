"""The time engine over a whole Scenario: the index, views, changes, projection and tariff
stacks."""
