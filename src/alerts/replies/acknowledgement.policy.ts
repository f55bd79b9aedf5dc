/** What a send asks about acknowledgements. */
export interface AcknowledgementRequest {
  acknowledgementRequested?: boolean;
  escalationMinutes?: number;
  channels: readonly string[];
}

export interface AcknowledgementProblem {
  field: 'acknowledgementRequested' | 'escalationMinutes';
  message: string;
}

/** Channels that carry the question ("Reply 1 if safe, 2 if you need help", or the email's buttons). */
const askingChannels = ['sms', 'email'] as const;

/** What is wrong with a send's acknowledgement settings (empty: nothing). */
export function acknowledgementProblems(request: AcknowledgementRequest): AcknowledgementProblem[] {
  const problems: AcknowledgementProblem[] = [];
  const minutes = request.escalationMinutes;
  if (minutes !== undefined && !request.acknowledgementRequested)
    problems.push({
      field: 'escalationMinutes',
      message: 'escalation calls people who did not acknowledge: ask for acknowledgements too',
    });
  if (minutes !== undefined && (!Number.isInteger(minutes) || minutes < 1 || minutes > 1440))
    problems.push({
      field: 'escalationMinutes',
      message: 'must be a whole number of minutes from 1 to 1440',
    });
  if (
    request.acknowledgementRequested &&
    !request.channels.some((c) => (askingChannels as readonly string[]).includes(c))
  )
    problems.push({
      field: 'acknowledgementRequested',
      message: 'acknowledgements are asked by SMS or email: include the sms or email channel',
    });
  return problems;
}
