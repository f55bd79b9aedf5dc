/** Everything the channel renderers need to write one message of an alert in one language. */
export interface AlertContent {
  /** The alert's uuid. */
  id: string;
  /** 0 for the original, 1.. for updates; the all-clear is an update with messageType 'all_clear'. */
  sequence: number;
  messageType: 'alert' | 'update' | 'all_clear' | 'cancel';
  kind: 'emergency' | 'operations' | 'test' | 'exercise';
  hazard: {
    code: string;
    title: string;
    cap: {
      category: string;
      event: string;
      urgency: string;
      severity: string;
      certainty: string;
      responseType: string;
    };
  };
  /** BCP 47 tag, e.g. 'en', 'es'. */
  language: string;
  /** Already filled from the template. */
  what: string;
  where: string;
  actions: string;
  sentAt: Date;
  expiresAt?: Date;
  /** senderId, e.g. 'emergency.mit.edu', has no spaces, commas, '<' or '&' (CAP). */
  institution: {
    name: string;
    shortName: string;
    prefix: string;
    timezone: string;
    url?: string;
    senderId: string;
  };
  /** Previous messages of this alert, for CAP Update and Cancel. */
  references?: Array<{ identifier: string; sentAt: Date }>;
  /** polygon points are [latitude, longitude] in WGS 84, as CAP writes them. */
  areas: Array<{
    description: string;
    polygon?: Array<[number, number]>;
    geocodes?: Array<{ name: string; value: string }>;
  }>;
  links: { page?: string; acknowledge?: string; unsubscribe?: string };
  /** e.g. 'Reply 1 if safe, 2 if you need help.' */
  replyPrompt?: string;
  /** The alert asks for acknowledgements: the SMS ends with the language's "Reply 1 if safe, 2 if you need help." */
  acknowledgementRequested?: boolean;
}
