/**
 * How long, and how often, Slack accepts messages posted to a slash command's `response_url`.
 * Slack, "Implementing slash commands", section "Sending delayed responses / multiple responses"
 * (https://api.slack.com/interactivity/slash-commands#responding_response_url): "you can use the
 * response_url to respond to a user's command up to 5 times within 30 minutes of the user's
 * invocation", as a `POST` with a JSON body (`Content-type: application/json`). The command's own
 * HTTP answer (within 3 seconds) is not one of the five.
 */
export const SLACK_RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;
export const SLACK_RESPONSE_URL_USES = 5;
