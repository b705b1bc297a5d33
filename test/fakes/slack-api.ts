// Tests use the same Slack Web API on loopback that `netcheck dev` serves to the preview page (src/dev/slack-api.ts).
export {
  FAKE_BOT,
  FAKE_TEAM,
  type ResponseTarget,
  type SlackApiCall,
  type SlackApiFake,
  type SlackFault,
  type SlackUser,
  startSlackApiFake,
} from '../../src/dev/slack-api.ts';
