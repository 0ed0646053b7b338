/**
 * The cross-channel hand-off over REST: a voice agent writes, a WhatsApp agent reads, each with
 * `@memnex/client`. Against your server: MEMNEX_URL, MEMNEX_VOICE_KEY and MEMNEX_WHATSAPP_KEY.
 * Without them it starts a local server on the embedded default in a temporary directory.
 */
import { runHandoff } from './handoff.js';
import { startLocalServer } from './local-server.js';

const print = (title: string, value: unknown) =>
  process.stdout.write(
    `\n── ${title}\n${typeof value === 'string' ? value : JSON.stringify(value, null, 2)}\n`,
  );

const { MEMNEX_URL, MEMNEX_VOICE_KEY, MEMNEX_WHATSAPP_KEY } = process.env;
if (MEMNEX_URL && MEMNEX_VOICE_KEY && MEMNEX_WHATSAPP_KEY) {
  await runHandoff({
    url: MEMNEX_URL,
    voiceKey: MEMNEX_VOICE_KEY,
    whatsappKey: MEMNEX_WHATSAPP_KEY,
    print,
  });
} else {
  const local = await startLocalServer();
  print('local server', `${local.url} (docs at ${local.url}/docs)`);
  try {
    await runHandoff({ ...local, print });
  } finally {
    await local.close();
  }
}
