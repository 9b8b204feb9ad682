import { ConfigurationError, start } from "./start.ts";

// Values in .env (written by the registration page) fill in what the environment does not set.
try {
  process.loadEnvFile(".env");
} catch {
  // no .env: the environment is the configuration
}

try {
  await start();
} catch (error) {
  if (error instanceof ConfigurationError) {
    console.error(error.message);
  } else {
    console.error(`inhouse failed to start: ${(error as Error).message}`);
  }
  process.exit(1);
}
