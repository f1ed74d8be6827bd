import { InvalidArgumentError } from 'commander';

/** A repeatable option: every occurrence, in order. */
export const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** An option that takes a whole number of at least `min`; `what` says what is expected (`a whole number of GiB, e.g. 40`). */
export function wholeNumber(min: number, what: string): (value: string) => number {
  return (value) => {
    const number = Number(value);
    if (value.trim() === '' || !Number.isInteger(number) || number < min) throw new InvalidArgumentError(`expected ${what}`);
    return number;
  };
}
