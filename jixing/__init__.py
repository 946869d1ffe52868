"""集星 jixing — the platform on which a province runs its 学习之星 recognition campaign."""
