#!/usr/bin/env python3
"""Trains a LoRA adapter on an alterego dataset with transformers + peft.

The dataset is chat JSONL as `alterego build` writes it: one {"messages": [...]} example a line,
assistant turns with "weight": 0 kept as context. The tokenizer's chat template renders each
example, and every token that is not part of an assistant turn to train on gets the label -100,
so the loss is on the person's own replies only.

Progress goes to stdout as JSON lines with an "alterego" key (start, train, eval, saved,
message, error) that alterego reads; everything else the libraries print goes to stderr.

    python3 alterego_train_hf.py --config run/config.json
    accelerate launch alterego_train_hf.py --config run/config.json     # every GPU
    python3 alterego_train_hf.py --train train.jsonl --valid valid.jsonl \
        --model Qwen/Qwen2.5-1.5B-Instruct --output adapters --epochs 3

--tiny-random trains a tiny randomly initialised Llama-style model with a tokenizer made on the
spot from the training data (no download), to check the whole path on a machine quickly.

SIGTERM or SIGINT stops training at the end of the current step; the script then exits with 130
without saving a final adapter (the last checkpoint stays).
"""

import argparse
import json
import os
import signal
import sys
import time

CHATML_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}"
)

STOP = {"requested": False}
MAIN = os.environ.get("RANK", "0") == "0"


def emit(kind, **fields):
    """One progress line for alterego, from the main process only."""
    if MAIN:
        fields = {key: value for key, value in fields.items() if value is not None}
        print(json.dumps({"alterego": kind, **fields}), flush=True)


def fail(message, code=2):
    emit("error", message=message)
    if not MAIN:
        print(message, file=sys.stderr)
    sys.exit(code)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", help="a JSON file with these options (underscores for dashes)")
    parser.add_argument("--model", help="base model: a Hugging Face id or a folder")
    parser.add_argument("--train", help="training JSONL")
    parser.add_argument("--valid", help="validation JSONL")
    parser.add_argument("--output", help="folder for the adapter (and checkpoints)")
    parser.add_argument("--merged-output", help="also save the model with the adapter merged in here")
    parser.add_argument("--epochs", type=float, default=3)
    parser.add_argument("--batch-size", type=int, default=4)
    parser.add_argument("--gradient-accumulation-steps", type=int, default=1)
    parser.add_argument("--learning-rate", type=float, default=2e-4)
    parser.add_argument("--lora-rank", type=int, default=8)
    parser.add_argument("--lora-alpha", type=float, default=16)
    parser.add_argument("--lora-dropout", type=float, default=0.05)
    parser.add_argument("--lora-layers", type=int, help="adapt only the last N layers")
    parser.add_argument("--max-seq-length", type=int, default=2048)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--logging-steps", type=int, default=10)
    parser.add_argument("--eval-steps", type=int, default=50)
    parser.add_argument("--gradient-checkpointing", action="store_true")
    parser.add_argument(
        "--tiny-random",
        action="store_true",
        help="train a tiny random model with a tokenizer made from the data (no download)",
    )
    first, _ = parser.parse_known_args(argv)
    if first.config:
        try:
            with open(first.config, encoding="utf-8") as handle:
                config = json.load(handle)
        except (OSError, ValueError) as error:
            fail(f"{first.config}: cannot read the config ({error})")
        known = {action.dest for action in parser._actions}
        unknown = sorted(set(config) - known)
        if unknown:
            fail(f"{first.config}: unknown options {', '.join(unknown)}")
        parser.set_defaults(**config)
    args = parser.parse_args(argv)
    for name in ("train", "output"):
        if not getattr(args, name):
            fail(f"--{name} is required (or give it in --config)")
    if not args.model and not args.tiny_random:
        fail("--model is required (or --tiny-random)")
    return args


def read_examples(path):
    """The message lists of a chat JSONL file; a bad line stops with its file and line."""
    examples = []
    try:
        handle = open(path, encoding="utf-8")
    except OSError as error:
        fail(f"{path}: cannot read the file ({error.strerror})")
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except ValueError:
                fail(f"{path}:{number}: not valid JSON; expected a {{\"messages\": [...]}} chat example")
            messages = value.get("messages") if isinstance(value, dict) else None
            if not isinstance(messages, list) or not all(
                isinstance(m, dict) and isinstance(m.get("role"), str) and isinstance(m.get("content"), str)
                for m in messages
            ):
                fail(f"{path}:{number}: expected {{\"messages\": [{{\"role\": ..., \"content\": ...}}]}}")
            examples.append(messages)
    return examples


def trained(message):
    return message.get("role") == "assistant" and message.get("weight", 1) != 0


def assistant_spans(tokenizer, messages):
    """Character spans of the full rendering that hold the assistant turns to train on."""
    clean = [{"role": m["role"], "content": m["content"]} for m in messages]
    full = tokenizer.apply_chat_template(clean, tokenize=False)
    spans = []
    cursor = 0
    for index, message in enumerate(messages):
        if not trained(message):
            continue
        span = None
        try:
            before = tokenizer.apply_chat_template(clean[:index], tokenize=False, add_generation_prompt=True) if index else ""
            upto = tokenizer.apply_chat_template(clean[: index + 1], tokenize=False)
            if full.startswith(upto) and upto.startswith(before) and len(upto) > len(before):
                span = (len(before), len(upto))
        except Exception:  # noqa: BLE001 - templates that refuse a prefix: search instead
            span = None
        if span is None:
            start = full.find(message["content"], cursor)
            if start < 0:
                continue
            span = (start, start + len(message["content"]))
        spans.append(span)
        cursor = span[1]
    return full, spans


def encode(tokenizer, messages, max_length):
    """input_ids and labels, -100 on every token outside a trained assistant turn."""
    full, spans = assistant_spans(tokenizer, messages)
    encoded = tokenizer(full, add_special_tokens=False, return_offsets_mapping=True)
    ids = encoded["input_ids"][:max_length]
    offsets = encoded["offset_mapping"][:max_length]
    labels = []
    for token, (start, end) in zip(ids, offsets):
        inside = any(begin <= start < stop for begin, stop in spans) and end > start
        labels.append(token if inside else -100)
    return {"input_ids": ids, "labels": labels}


def tiny_random_model(examples, folder, max_length, seed):
    """A tiny Llama-style model and a byte-level BPE tokenizer trained on the data, saved in folder."""
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    texts = [f"{m['role']}\n{m['content']}" for messages in examples for m in messages]
    bpe.train_from_iterator(
        texts,
        trainers.BpeTrainer(
            vocab_size=2048,
            special_tokens=specials,
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>"],
    )
    tokenizer.chat_template = CHATML_TEMPLATE
    torch.manual_seed(seed)
    config = LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=max(max_length, 256),
        bos_token_id=None,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=False,
    )
    model = LlamaForCausalLM(config)
    os.makedirs(folder, exist_ok=True)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def load_model(name, dtype):
    import transformers
    from transformers import AutoModelForCausalLM

    version = tuple(int(part) for part in transformers.__version__.split(".")[:2] if part.isdigit())
    key = "dtype" if version >= (4, 56) else "torch_dtype"
    return AutoModelForCausalLM.from_pretrained(name, **{key: dtype})


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)

    def request_stop(signum, _frame):
        if STOP["requested"]:
            raise KeyboardInterrupt
        STOP["requested"] = True
        emit("message", message=f"Stopping at the end of this step ({signal.Signals(signum).name})")

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)

    train_examples = read_examples(args.train)
    valid_examples = read_examples(args.valid) if args.valid else []

    try:
        import inspect

        import torch
        from peft import LoraConfig, get_peft_model
        from transformers import (
            AutoTokenizer,
            PrinterCallback,
            ProgressCallback,
            Trainer,
            TrainerCallback,
            TrainingArguments,
        )
    except ImportError as error:
        fail(f"{error}; install with: python3 -m pip install torch transformers peft accelerate tokenizers", 3)

    model_name = args.model
    if args.tiny_random:
        model_name = tiny_random_model(
            train_examples, os.path.join(os.path.dirname(os.path.abspath(args.output)), "tiny-base"),
            args.max_seq_length, args.seed,
        )
        emit("message", message=f"Tiny random model and tokenizer made from the data: {model_name}")

    tokenizer = AutoTokenizer.from_pretrained(model_name)
    if tokenizer.chat_template is None:
        fail(f"{model_name} has no chat template; use an instruct (chat) model")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token

    def prepare(examples):
        rows, skipped = [], 0
        for messages in examples:
            row = encode(tokenizer, messages, args.max_seq_length)
            if all(label == -100 for label in row["labels"]):
                skipped += 1
                continue
            rows.append(row)
        return rows, skipped

    train_rows, skipped = prepare(train_examples)
    valid_rows, _ = prepare(valid_examples)
    if not train_rows:
        fail(f"{args.train}: no example has an assistant turn to train on")
    trained_tokens = sum(sum(1 for label in row["labels"] if label != -100) for row in train_rows)

    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()
    dtype = torch.bfloat16 if bf16 else (torch.float16 if cuda else torch.float32)
    model = load_model(model_name, dtype if not args.tiny_random else torch.float32)
    layers = None
    if args.lora_layers:
        total = getattr(model.config, "num_hidden_layers", None)
        if total:
            layers = list(range(max(0, total - args.lora_layers), total))
    lora = LoraConfig(
        r=args.lora_rank,
        lora_alpha=args.lora_alpha,
        lora_dropout=args.lora_dropout,
        target_modules="all-linear",
        task_type="CAUSAL_LM",
        **({"layers_to_transform": layers} if layers else {}),
    )
    model = get_peft_model(model, lora)
    if args.gradient_checkpointing:
        model.enable_input_require_grads()

    pad_id = tokenizer.pad_token_id

    def collate(batch):
        width = max(len(row["input_ids"]) for row in batch)
        ids, labels, mask = [], [], []
        for row in batch:
            padding = width - len(row["input_ids"])
            ids.append(row["input_ids"] + [pad_id] * padding)
            labels.append(row["labels"] + [-100] * padding)
            mask.append([1] * len(row["input_ids"]) + [0] * padding)
        return {
            "input_ids": torch.tensor(ids),
            "labels": torch.tensor(labels),
            "attention_mask": torch.tensor(mask),
        }

    class Reporter(TrainerCallback):
        def __init__(self):
            self.last_time = time.time()
            self.last_tokens = 0

        def on_train_begin(self, targs, state, control, **kwargs):
            self.last_time = time.time()
            emit(
                "start",
                total_steps=state.max_steps,
                message=(
                    f"Training {len(train_rows)} examples ({trained_tokens} reply tokens) "
                    f"for {state.max_steps} steps on "
                    f"{'cuda x%d' % torch.cuda.device_count() if cuda else 'cpu'}"
                    + (f"; {skipped} without a reply to train on left out" if skipped else "")
                ),
            )

        def on_log(self, targs, state, control, logs=None, **kwargs):
            if not logs or not state.is_world_process_zero:
                return
            if "loss" in logs:
                now = time.time()
                seen = getattr(state, "num_input_tokens_seen", 0) or 0
                rate = (seen - self.last_tokens) / (now - self.last_time) if seen and now > self.last_time else None
                self.last_time, self.last_tokens = now, seen
                emit(
                    "train",
                    step=state.global_step,
                    total_steps=state.max_steps,
                    loss=logs["loss"],
                    learning_rate=logs.get("learning_rate"),
                    grad_norm=logs.get("grad_norm"),
                    epoch=logs.get("epoch"),
                    tokens_per_second=round(rate, 1) if rate else None,
                    trained_tokens=seen or None,
                )
            if "eval_loss" in logs:
                emit("eval", step=state.global_step, total_steps=state.max_steps, eval_loss=logs["eval_loss"])

        def on_step_end(self, targs, state, control, **kwargs):
            if STOP["requested"]:
                control.should_training_stop = True
                control.should_save = False

    wanted = {
        "output_dir": args.output,
        "num_train_epochs": args.epochs,
        "per_device_train_batch_size": args.batch_size,
        "per_device_eval_batch_size": args.batch_size,
        "gradient_accumulation_steps": args.gradient_accumulation_steps,
        "learning_rate": args.learning_rate,
        "lr_scheduler_type": "cosine",
        "warmup_ratio": 0.05,
        "logging_steps": args.logging_steps,
        "eval_strategy": "steps" if valid_rows else "no",
        "evaluation_strategy": "steps" if valid_rows else "no",
        "eval_steps": args.eval_steps,
        "save_strategy": "steps",
        "save_steps": args.eval_steps,
        "save_total_limit": 3,
        "seed": args.seed,
        "bf16": bf16 and not args.tiny_random,
        "fp16": cuda and not bf16 and not args.tiny_random,
        "report_to": [],
        "disable_tqdm": True,
        "remove_unused_columns": False,
        "include_num_input_tokens_seen": True,
        "gradient_checkpointing": args.gradient_checkpointing,
        "ddp_find_unused_parameters": False,
    }
    accepted = inspect.signature(TrainingArguments.__init__).parameters
    if "eval_strategy" in accepted:
        wanted.pop("evaluation_strategy")
    training_args = TrainingArguments(**{key: value for key, value in wanted.items() if key in accepted})
    trainer = Trainer(
        model=model,
        args=training_args,
        train_dataset=train_rows,
        eval_dataset=valid_rows or None,
        data_collator=collate,
        callbacks=[Reporter()],
    )
    for callback in (PrinterCallback, ProgressCallback):
        trainer.remove_callback(callback)

    try:
        trainer.train()
    except KeyboardInterrupt:
        emit("message", message="Stopped")
        sys.exit(130)
    if STOP["requested"]:
        emit("message", message="Stopped before the end; no final adapter was saved")
        sys.exit(130)

    trainer.save_model(args.output)
    if trainer.is_world_process_zero():
        tokenizer.save_pretrained(args.output)
        emit("saved", adapter=os.path.abspath(args.output))
        if args.merged_output:
            merged = trainer.model.merge_and_unload()
            merged.save_pretrained(args.merged_output, safe_serialization=True)
            tokenizer.save_pretrained(args.merged_output)
            emit("saved", merged=os.path.abspath(args.merged_output))


if __name__ == "__main__":
    main()
