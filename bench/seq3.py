"""Reader of the 3-line sequence format, shared by the reference scripts.

Per student: a line with the number of answers, a line of comma-separated
skill ids and a line of comma-separated 0/1 answers (trailing commas allowed).
"""
import sys


def read_students(path):
    """Returns a list of (skills, answers) per student, in file order."""
    with open(path) as f:
        lines = [ln.strip() for ln in f]
    lines = [ln for ln in lines if ln]
    if len(lines) % 3 != 0:
        raise ValueError(f"{path}: {len(lines)} non-empty lines, not a multiple of 3")

    def ints(s):
        return [int(float(x)) for x in s.split(",") if x.strip() != ""]

    students = []
    for k in range(0, len(lines), 3):
        n = ints(lines[k])[0]
        sk = ints(lines[k + 1])
        an = ints(lines[k + 2])
        if len(sk) != len(an):
            raise ValueError(f"{path}: student {k // 3}: {len(sk)} skills but {len(an)} answers")
        if len(sk) != n:
            print(f"warning: {path}: student {k // 3}: header says {n} answers, found {len(sk)}",
                  file=sys.stderr)
        if sk and min(sk) < 1:
            raise ValueError(f"{path}: student {k // 3}: skill ids must be >= 1")
        if set(an) - {0, 1}:
            raise ValueError(f"{path}: student {k // 3}: answers must be 0/1")
        students.append((sk, an))
    return students
