#!/usr/bin/env bash
# Regenerates the tiny SentencePiece unigram models and the reference ids the tokenizer tests compare against.
# The identity normalisation rule keeps the models tiny (no precompiled NFKC table). Needs Debian's sentencepiece tools (spm_train, spm_encode). T5's layout: pad 0, eos 1, unk 2, and no BOS.
set -euo pipefail
cd "$(dirname "$0")"
common=(--input=corpus.txt --model_type=unigram --vocab_size=100 --character_coverage=1.0 --pad_id=0 --eos_id=1 --unk_id=2
        --input_sentence_size=0 --shuffle_input_sentence=false --num_threads=1 --minloglevel=2
        --normalization_rule_name=identity)
spm_train "${common[@]}" --bos_id=-1 --model_prefix=unigram_nobos
spm_train "${common[@]}" --bos_id=3 --model_prefix=unigram_bos3
rm -f unigram_nobos.vocab unigram_bos3.vocab
for m in unigram_nobos unigram_bos3; do
  spm_encode --model="$m.model" --output_format=id < test_prompts.txt > "$m.ids.txt"
done
