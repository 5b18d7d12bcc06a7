#!/usr/bin/env python3
"""Writes the bundled kite-kt example: a simulated class practising fractions.

Students answer items of four fraction skills; each skill follows the BKT
generative model with the parameters below, and each item has its own guess
rate (so --multigs has something to find). Deterministic: the same files every
run. Usage: python3 make_fractions.py [OUT_DIR]
"""
import csv
import os
import random
import sys

SKILLS = {  # prior, learn, forget, guess, slip
    "equivalent fractions": (0.35, 0.20, 0.0, 0.20, 0.08),
    "comparing fractions": (0.25, 0.15, 0.0, 0.25, 0.10),
    "adding unlike denominators": (0.10, 0.12, 0.0, 0.15, 0.12),
    "fraction of a quantity": (0.30, 0.18, 0.0, 0.22, 0.07),
}
ITEMS_PER_SKILL = 4


def simulate(rng, first_user, students, answers_per_skill, writer, order):
    for u in range(first_user, first_user + students):
        known = {s: rng.random() < p[0] for s, p in SKILLS.items()}
        queue = [s for s in SKILLS for _ in range(answers_per_skill)]
        rng.shuffle(queue)
        for skill in queue:
            prior, learn, forget, guess, slip = SKILLS[skill]
            item = rng.randrange(ITEMS_PER_SKILL)
            item_guess = min(0.45, max(0.02, guess + (item - 1.5) * 0.06))
            correct = (rng.random() >= slip) if known[skill] else (rng.random() < item_guess)
            order += 1
            writer.writerow([order, f"student{u:04d}", skill, int(correct), f"{skill[:3]}-{item + 1}"])
            known[skill] = (rng.random() >= forget) if known[skill] else (rng.random() < learn)
    return order


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    rng = random.Random(2026)
    order = 0
    for name, first, students in (("fractions_train.csv", 1, 240), ("fractions_test.csv", 1001, 80)):
        with open(os.path.join(out, name), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["order_id", "user_id", "skill_name", "correct", "template_id"])
            order = simulate(rng, first, students, 8, w, order)


if __name__ == "__main__":
    main()
