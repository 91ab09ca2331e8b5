import { AutomationsErrors } from '../automations.errors';
import { ACTIONS, EVENT_TRIGGERS, FIELDS } from './automation-catalog';
import { validateDefinition } from './definition-validation';

const valid = {
  trigger: { event: 'contact.created' },
  conditions: { all: [{ field: 'tags', op: 'contains', value: 'vip' }] },
  actions: [{ type: 'add_tag', params: { tag: 'routed' } }],
};

function problems(patch: object): string[] {
  try {
    validateDefinition({ ...valid, ...patch } as never);
    return [];
  } catch (error) {
    return ((error as ReturnType<typeof AutomationsErrors.invalidDefinition>).details!.errors as { field: string }[]).map((e) => e.field);
  }
}

describe('definition validation', () => {
  it('accepts a valid definition, every catalog trigger and every catalog field', () => {
    expect(problems({})).toEqual([]);
    for (const { trigger } of EVENT_TRIGGERS) expect(problems({ trigger: { event: trigger } })).toEqual([]);
    for (const { field } of FIELDS) {
      const concrete = field
        .replace('<key>', 'plan')
        .replace('<path>', 'changes.tags')
        .replace('<pipelineId>', '01a21290-0000-7000-8000-000000000000');
      expect(problems({ conditions: { any: [{ field: concrete, op: 'exists' }] } })).toEqual([]);
    }
  });

  it('reports every bad element with its path', () => {
    expect(
      problems({
        trigger: { event: 'nope' },
        conditions: { all: [{ field: 'x', op: 'eq', value: 1 }, { any: [{ field: 'email', op: 'near', value: 1 }] }] },
        actions: [{ type: 'add_tag', params: { tag: '' }, delayMinutes: 1.5 }, { type: 'fly' }],
      }),
    ).toEqual([
      'trigger.event',
      'conditions.all[0].field',
      'conditions.all[1].any[0].op',
      'actions[0].delayMinutes',
      'actions[0].params.tag',
      'actions[1].type',
    ]);
  });

  it('bounds nesting and size', () => {
    let deep: object = { field: 'email', op: 'exists' };
    for (let i = 0; i < 7; i++) deep = { all: [deep] };
    expect(problems({ conditions: deep })[0]).toMatch(/^conditions(\.all\[0\])+$/);
    const many = Array.from({ length: 60 }, () => ({ field: 'email', op: 'exists' }));
    expect(problems({ conditions: { all: many } })).toEqual(['conditions.all[50]']);
    expect(problems({ actions: Array.from({ length: 21 }, () => valid.actions[0]) })).toEqual(['actions']);
  });

  it('offers every action it accepts, with its parameters', () => {
    for (const action of ACTIONS) {
      const params = Object.fromEntries(
        Object.entries(action.params.properties).map(([key, schema]) => [
          key,
          schema.format === 'uuid'
            ? '01a21290-0000-7000-8000-000000000000'
            : schema.type === 'string'
              ? 'x'
              : schema.type === 'boolean'
                ? true
                : 1,
        ]),
      );
      expect(problems({ actions: [{ type: action.type, params, delayMinutes: 10 }] })).toEqual([]);
    }
  });
});
