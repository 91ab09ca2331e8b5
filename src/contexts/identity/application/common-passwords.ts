import { Injectable } from '@nestjs/common';
import popular from 'popular-passwords';

/**
 * The ~42,000 most common passwords of 8 characters or more (the `popular-passwords` package, from zxcvbn's
 * frequency lists), held as a set of lower-cased entries.
 */
@Injectable()
export class CommonPasswords {
  private readonly list = new Set(popular.map((p) => p.toLowerCase()));

  has(lowered: string): boolean {
    return this.list.has(lowered);
  }
}
