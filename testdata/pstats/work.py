"""A small program with a call graph: shared helpers, recursion, a class."""
import sys


def mix(x):
    for _ in range(30):
        x = (x * 2654435761 + 17) & 0xFFFFFFFF
    return x


def parse(text):
    h = 0
    for ch in text:
        h = mix(h ^ ord(ch))
    return h


def compute(n):
    return sum(mix(i) for i in range(n))


def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


class Walker:
    def walk(self, depth):
        if depth == 0:
            return parse("leaf")
        return self.walk(depth - 1) + 1


def main():
    r = parse("hello world" * 20)
    r += compute(3000)
    r += fib(16)
    r += Walker().walk(5)
    return r


if __name__ == "__main__":
    print(main())
