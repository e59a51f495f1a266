"""jjj-report: ten years of social organizations in the Beijing-Tianjin-Hebei coordinated
development.

Modules, one concern each (import graph points downward only):
paths → sources → reflow/quantities/extract → codebook/periods/record
→ outcomes/years/consistency/reconcile
→ i18n/fonts/charts/render → build → cli.
"""

__version__ = "0.1.0"
