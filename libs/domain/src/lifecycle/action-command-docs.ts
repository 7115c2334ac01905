import { CONDITION_BLOCKS } from '../assessment/rubric';
import { ACTION_COMMANDS, CommandField, MAX_PENCE } from './action-commands';
import { ActorRole } from './actor-role';
import { LIFECYCLE_ACTIONS, LifecycleAction } from './lifecycle-action';
import { TRANSITION_TABLE } from './transition-table';
import { APPLICATION_STATES } from './application-state';

type JsonSchema = Record<string, unknown>;

function fieldSchema(f: CommandField): JsonSchema {
  const description = f.description;
  switch (f.type) {
    case 'text':
      return { type: 'string', minLength: 1, maxLength: f.max, description };
    case 'pence':
      return { type: 'integer', minimum: f.min ?? 0, maximum: MAX_PENCE, description };
    case 'uuid':
      return { type: 'string', format: 'uuid', description };
    case 'true':
      return { type: 'boolean', const: true, description };
    case 'date':
      return { type: 'string', format: 'date', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description };
    case 'texts':
      return {
        type: 'array',
        maxItems: f.max,
        items: { type: 'string', minLength: 1, maxLength: 1000 },
        description,
      };
    case 'conditionDetails':
      return {
        type: 'array',
        maxItems: f.max,
        description,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['text'],
          properties: {
            text: { type: 'string', minLength: 1, maxLength: 1000 },
            evidenceRequired: { type: 'string', maxLength: 1000 },
            blocks: { type: 'string', enum: [...CONDITION_BLOCKS] },
            dueOn: { type: 'string', format: 'date' },
            source: { type: 'string', minLength: 1, maxLength: 100 },
          },
        },
      };
  }
}

/** The action's command as a JSON Schema object (required fields listed; unknown fields refused). */
export function actionCommandJsonSchema(action: LifecycleAction): JsonSchema {
  const { summary, fields } = ACTION_COMMANDS[action];
  const required = Object.entries(fields)
    .filter(([, f]) => f.required)
    .map(([name]) => name);
  return {
    title: action,
    description: summary,
    type: 'object',
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(fields).map(([name, f]) => [name, fieldSchema(f)])),
    ...(required.length > 0 ? { required } : {}),
  };
}

/** Every action's command schema, by action. */
export function actionCommandJsonSchemas(): Record<LifecycleAction, JsonSchema> {
  return Object.fromEntries(LIFECYCLE_ACTIONS.map((a) => [a, actionCommandJsonSchema(a)])) as Record<
    LifecycleAction,
    JsonSchema
  >;
}

/** Who may take the action, and in which states, as the transition table says. */
function takenBy(action: LifecycleAction): { states: string[]; roles: ActorRole[] } {
  const states: string[] = [];
  const roles = new Set<ActorRole>();
  for (const state of APPLICATION_STATES) {
    const rule = TRANSITION_TABLE[state][action];
    if (!rule) continue;
    states.push(state);
    rule.roles.forEach((r) => roles.add(r));
  }
  return { states, roles: [...roles] };
}

function fieldLabel(name: string, f: CommandField): string {
  return f.required ? `\`${name}\`` : `\`${name}\`?`;
}

/** The action table (as in the README), generated from the command schemas and the transition table. */
export function actionTableMarkdown(): string {
  const rows = LIFECYCLE_ACTIONS.map((action) => {
    const { summary, fields } = ACTION_COMMANDS[action];
    const { states, roles } = takenBy(action);
    const body = Object.entries(fields).map(([n, f]) => fieldLabel(n, f));
    return `| \`${action}\` | ${summary} | ${states.join(', ')} | ${roles.join(', ')} | ${body.join(', ') || '—'} |`;
  });
  return ['| action | what it does | from states | who | body (`?` optional) |', '|---|---|---|---|---|', ...rows].join(
    '\n',
  );
}
