"""What is in force on 2 November 2025 in the default scenario?

Two honest answers: what the record says (the report of 26 October holds no later facts), and
a projection: what follows if everything scheduled by then happens, and every deadline that has
passed by then fires unmet (Scenario.at with project=True).

Run: python examples/in_force_on_november_2.py
"""

import tradetruce as tt

scenario = tt.load_seed()
# A calendar day stands for its last instant: the end of 2 November in Washington.
nov2 = tt.When.parse("2025-11-02[America/New_York]")

print(f"On {nov2}, as recorded:")
for state in scenario.at(nov2).measures.values():
    print(f"  {state.id:24} {state.status_text()}")

# The 1 November start date has passed with nothing signed: the threatened tariff would apply.
print(f"On {nov2}, projected (what was scheduled carried out, deadlines passed unmet fired):")
view = scenario.at(nov2, project=True)
for state in view.measures.values():
    print(f"  {state.id:24} {state.status_text():10} {state.detail()}".rstrip())
in_force = [s.id for s in view.measures.values() if s.status is tt.MeasureStatus.IN_FORCE]
print("In force:", ", ".join(in_force) or "nothing")
