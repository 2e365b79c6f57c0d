"""hsreg: treatment and registration of hidradenitis suppurativa by the NFDV guideline."""

__version__ = "0.1.0"
