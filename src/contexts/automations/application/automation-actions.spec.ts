import { ACTIONS } from '../domain/automation-catalog';
import { AutomationActions } from './automation-actions';

describe('automation actions', () => {
  it('can run exactly the actions the catalog offers (no stub, no hidden action)', () => {
    const actions = new AutomationActions({} as never, {} as never, {} as never, {} as never, {} as never);
    expect(actions.types.sort()).toEqual(ACTIONS.map((a) => a.type).sort());
  });
});
