"""System checks of surveys (paper helper adds the PDF font check)."""

from __future__ import annotations
