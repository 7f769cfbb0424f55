// The OpenAI cookbook's "How to count tokens with tiktoken" example_messages, verbatim. Its run reports 129 prompt
// tokens for gpt-3.5-turbo-0613 / gpt-4-0613 (cl100k_base) and 124 for gpt-4o / gpt-4o-mini (o200k_base), from the API
// and from the 3/1/3 rule. The last message ends in "client deliverable", not "client project" (a common misquote
// that is one token shorter). A function, so each test gets fresh objects (counts are cached on messages).
export const COOKBOOK_TOTALS = { cl100k_base: 129, o200k_base: 124 } as const;

export function cookbookExample(): { role: 'system' | 'user'; content: string; name?: string }[] {
  return [
    {
      role: 'system',
      content: 'You are a helpful, pattern-following assistant that translates corporate jargon into plain English.',
    },
    { role: 'system', name: 'example_user', content: 'New synergies will help drive top-line growth.' },
    { role: 'system', name: 'example_assistant', content: 'Things working well together will increase revenue.' },
    {
      role: 'system',
      name: 'example_user',
      content: "Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.",
    },
    {
      role: 'system',
      name: 'example_assistant',
      content: "Let's talk later when we're less busy about how to do better.",
    },
    { role: 'user', content: "This late pivot means we don't have time to boil the ocean for the client deliverable." },
  ];
}
