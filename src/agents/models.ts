// The chat model port: LangChain's ChatOpenAI against OpenAI or any OpenAI-compatible endpoint.
import type { BaseChatModel } from '@langchain/core/language_models/chat_models'
import { ChatOpenAI } from '@langchain/openai'
import type { Config } from '../config.ts'

export type ChatModel = BaseChatModel

/** No key, no model: the mentor then answers offline (extractively). */
export function createChatModel(
  config: Pick<
    Config,
    'OPENAI_API_KEY' | 'OPENAI_BASE_URL' | 'CHAT_MODEL' | 'MODEL_TIMEOUT_MS' | 'MODEL_MAX_RETRIES'
  >,
  fetchImpl?: typeof fetch,
): ChatModel | undefined {
  if (!config.OPENAI_API_KEY) return undefined
  return new ChatOpenAI({
    apiKey: config.OPENAI_API_KEY,
    model: config.CHAT_MODEL,
    // Low temperature: answers should stay close to the sources.
    temperature: 0.2,
    timeout: config.MODEL_TIMEOUT_MS,
    maxRetries: config.MODEL_MAX_RETRIES,
    // Chat Completions is what OpenAI-compatible servers (vLLM, Ollama, Azure) speak.
    useResponsesApi: false,
    streamUsage: false,
    configuration: {
      ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
      ...(fetchImpl ? { fetch: fetchImpl } : {}),
    },
  })
}
