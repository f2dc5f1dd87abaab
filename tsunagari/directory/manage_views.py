"""Pages where member staff manage their resources and the secretariat oversees all."""

from __future__ import annotations
