import { evaluate } from './conditions';

const facts: Record<string, unknown> = {
  tags: ['lead', 'vip'],
  email: 'ada@example.com',
  'customFields.score': 42,
  'customFields.since': '2026-01-15',
  'message.text': 'What is the PRICE?',
  phone: null,
};
const read = (field: string) => facts[field];
const holds = (field: string, op: string, value?: unknown) =>
  evaluate({ all: [{ field, op: op as never, ...(value === undefined ? {} : { value }) }] }, read).matched;

describe('conditions', () => {
  it.each([
    ['eq', 'email', 'ada@example.com', true],
    ['eq', 'email', 'ADA@example.com', false],
    ['ne', 'email', 'bob@example.com', true],
    ['eq', 'tags', ['lead', 'vip'], true],
    ['gt', 'customFields.score', 41, true],
    ['gte', 'customFields.score', 42, true],
    ['lt', 'customFields.score', 42, false],
    ['lte', 'customFields.since', '2026-01-15', true],
    ['gt', 'customFields.since', 3, false],
    ['contains', 'tags', 'vip', true],
    ['contains', 'tags', 'vi', false],
    ['contains', 'message.text', 'price', true],
    ['in', 'email', ['x@example.com', 'ada@example.com'], true],
    ['in', 'missing', ['a'], false],
    ['exists', 'email', undefined, true],
    ['exists', 'phone', undefined, false],
    ['exists', 'phone', false, true],
    ['eq', 'missing', 'x', false],
    ['ne', 'missing', 'x', true],
  ])('%s %s %j -> %s', (op, field, value, expected) => {
    expect(holds(field, op, value)).toBe(expected);
  });

  it('needs every `all` and one `any`, nests groups, and reports each outcome', () => {
    const result = evaluate(
      {
        all: [{ field: 'tags', op: 'contains', value: 'vip' }],
        any: [
          { field: 'email', op: 'eq', value: 'nobody@example.com' },
          { all: [{ field: 'customFields.score', op: 'gte', value: 40 }], any: [] },
        ],
      },
      read,
    );
    expect(result).toEqual({
      all: [{ field: 'tags', op: 'contains', value: 'vip', actual: ['lead', 'vip'], matched: true }],
      any: [
        { field: 'email', op: 'eq', value: 'nobody@example.com', actual: 'ada@example.com', matched: false },
        { all: [{ field: 'customFields.score', op: 'gte', value: 40, actual: 42, matched: true }], any: [], matched: true },
      ],
      matched: true,
    });
    expect(evaluate({}, read).matched).toBe(true);
    expect(evaluate({ any: [{ field: 'missing', op: 'exists' }] }, read).matched).toBe(false);
  });
});
