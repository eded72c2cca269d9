"""Marketing campaigns: measured lift, return on spend, the verdict, and paid against free channels.

Formulas: docs/formulas-marketing.md. Everything here is a pure function of plain inputs.
"""

from peyvand.analysis.campaigns.channels import (
    ChannelComparison,
    ChannelKind,
    ChannelReport,
    ChannelTotals,
    GroupTotals,
    compare_channels,
)
from peyvand.analysis.campaigns.intervals import (
    Floats,
    Interval,
    Proportion,
    newcombe_difference,
    wilson_interval,
)
from peyvand.analysis.campaigns.lift import CampaignLift, LiftSettings, NotEnoughHistory, measure_lift
from peyvand.analysis.campaigns.returns import (
    CampaignReturn,
    Expectation,
    Justification,
    Verdict,
    campaign_return,
    justification,
    measure_campaign_return,
)

__all__ = [
    "CampaignLift",
    "CampaignReturn",
    "ChannelComparison",
    "ChannelKind",
    "ChannelReport",
    "ChannelTotals",
    "Expectation",
    "Floats",
    "GroupTotals",
    "Interval",
    "Justification",
    "LiftSettings",
    "NotEnoughHistory",
    "Proportion",
    "Verdict",
    "campaign_return",
    "compare_channels",
    "justification",
    "measure_campaign_return",
    "measure_lift",
    "newcombe_difference",
    "wilson_interval",
]
