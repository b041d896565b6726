"""Explainable risk profiles of potential victims: rules as data, each factor with its
evidence, a review cohort for humans (never a decision, and never a suspect list: R04)."""
