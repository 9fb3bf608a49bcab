"""Whole files of cases: reading and checking (`read`), the synthetic workforce (`synth`),
the batch run (`run`) and branch simulations (`simulate`). A door: it depends on the core."""
