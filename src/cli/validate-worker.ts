/** Runs `validateDocument` off the main thread, so `kiosque validate` still answers SIGINT/SIGTERM while a large file is checked. */
import { parentPort, workerData } from 'node:worker_threads';
import { validateDocument, type ValidateOptions } from '../validate/validate.js';

const { bytes, file, options } = workerData as { bytes: Uint8Array; file: string; options: ValidateOptions };
parentPort?.postMessage(validateDocument(bytes, file, options));
