"""What changes if the presidents sign the Kuala Lumpur framework?

Scenario.apply moves the talks to "signed" and carries out the framework's terms; View.diff
shows what reads differently afterwards.

Run: python examples/sign_the_framework.py
"""

import tradetruce as tt

scenario = tt.load_seed()
# A what-if needs a source to cite; this one says plainly that it is a hypothesis.
what_if = tt.Source(
    id="what-if-signing",
    title="Hypothesis: the framework is signed at the APEC summit",
    kind=tt.SourceKind.OTHER,
)
signed = scenario.apply(
    "us-cn-talks",
    to=tt.NegotiationStatus.SIGNED,
    at=tt.When.parse("2025-10-30[Asia/Seoul]"),
    source=what_if,
)

nov2 = tt.When.parse("2025-11-02[America/New_York]")
print(f"If the framework is signed, on {nov2}:")
for change in scenario.at(nov2).diff(signed.at(nov2)):
    print(f"  {change}")

# The truce now runs on with no end date in the record, and its suspensions until further
# notice: passing 10 November fires nothing.
later = signed.advance(tt.When.parse("2025-11-30[America/New_York]"))
truce = later.deadline("truce-expiry")
print(f"Truce deadline on 30 November: {truce.status} (due {truce.due})")
