"""Word lists the cue rules consult: function words that start a capitalised run, generic
names and words that are never an entity on their own, and the head nouns of tasks, metrics
and methods. Hand-written lists, kept apart from cues.py so the patterns read without
scrolling past them.
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _word_set(text: str) -> set[str]:
    return set(text.split())


# The lists are whitespace-separated words; the few entries with a space in them are added as
# set literals after the split.

# Capitalised words that start runs but are not names.
STOP_CAPS = _word_set(
    """
a an the in on of for to we our this these those that it its however moreover furthermore
specifically finally additionally recently then thus here there while when with by as at from unlike
compared beyond across using based existing extensive experiments experimental results code data
section table figure fig appendix abstract introduction conclusion conclusions i ii iii iv v vs both
each all such via first second third next also and or but no not new novel given since although
because despite under over after before inspired motivated notably importantly instead overall
theoretically empirically further lastly besides meanwhile previous prior january february march
april may june july august september october november december keywords university
"""
) | {"index terms"}
# Acronyms and words that name fields, families, organisations, languages or the web at large,
# not a specific method or dataset.
GENERIC_NAMES = _word_set(
    """
ai ml dl nlp cv sota gpu gpus cpu tpu api llm llms lm lms plm plms mllm mllms vlm vlms lvlm lvlms
dnn dnns cnn cnns rnn rnns mlp mlps gnn gnns nn nns ann anns rl nlg nlu ood id iid i.i.d dag
pdf pdfs url ie eg et al fps ram io os qa vqa asr tts mt ocr google meta openai microsoft
huggingface deepmind nvidia amazon apple facebook github arxiv twitter baidu alibaba tencent
anthropic ieee acm neurips icml iclr cvpr iccv eccv acl emnlp naacl aaai ijcai kdd english chinese
transformer transformers bayesian gaussian euclidean markov fourier lipschitz pareto nash hessian
jacobian turing boolean rgb rgb-d mri fmri ct gps eeg ecg hd lr hr 2d 3d ner pos srl re-id reid html
json csv e-mail email internet web
japanese korean french german spanish italian portuguese russian arabic hindi bengali vietnamese
thai indonesian turkish persian urdu swahili dutch polish greek hebrew
"""
) | {"hugging face", "monte carlo"}
# Words that make a multi-word name generic when every word is one of them.
GENERIC_WORDS = _word_set(
    """
large small deep neural network networks model models language languages vision visual multimodal
multi-modal pre-trained pretrained foundation generative diffusion learning machine artificial
intelligence state-of-the-art method methods approach approaches framework natural processing
programming distribution out-of-distribution in-distribution data reinforcement supervised
self-supervised unsupervised semi-supervised convolutional recurrent graph graphs knowledge
transformer transformers text image images video audio speech few-shot zero-shot in-context
fine-tuning training pre-training continual online offline federated contrastive representation
representations embedding embeddings the of and for a an with to in on based generation
understanding recognition classification detection segmentation agents agent systems system tasks
task
"""
)
TASK_HEADS = _word_set(
    """
learning recognition detection segmentation classification generation processing understanding
answering translation retrieval summarization embedding reasoning analysis prediction forecasting
captioning completion tracking parsing inference adaptation generalization comprehension
identification re-identification resolution tagging extraction labeling labelling
"""
)
METRIC_HEADS = _word_set(
    """
rate accuracy score distance precision recall error similarity divergence perplexity
"""
)
METHOD_HEADS = _word_set(
    """
network networks model models algorithm method framework module transformer attention normalization
regression optimization propagation distillation estimation fine-tuning feedback process processes
tree trees law mechanism encoder decoder autoencoder auto-encoder layer loss sampling search
augmentation architecture machine machines descent reduction regularization labeling labelling
refinement alignment interaction integration fusion mixer assistant pooling decomposition
factorization quantization pruning adapter prompting tuning policy optimizer solver protocol
pipeline system generation
"""
)

# Words that never belong to a task name: a task phrase is the run of modifiers after the
# last of them ("approaches for text classification" → "text classification").
TASK_STOP = _words(
    # function words and connectives
    "the a an of for and or in on to with our this that these its their such both via "
    "from by than at into over under across between through without "
    "within while when where which who it we they not "
    # quantifiers and numbers
    "all any each every some many more most other several multiple different two three "
    "four five six seven eight nine ten "
    # evaluative and temporal adjectives
    "better accurate efficient effective robust existing various downstream new novel "
    "strong state-of-the-art art standard traditional conventional popular important "
    "challenging practical particular typical common previous prior current recent "
    "modern final overall precise "
    # verbs and adverbs
    "improves improve improved improving enables enable achieves achieve achieving "
    "including as is are be can has have was were using use uses used perform performs "
    "performing address "
    "addresses tackle tackles solve solves obtain obtains produce producing called "
    "proposed made spanning handle lack exhibit affect also then thus jointly "
    "simultaneously quickly directly explicitly significantly "
    # generic nouns
    "problem problems approach approaches method methods model models work framework "
    "benchmarks"
)

# Head words of task and metric phrases (kg.extract.phrases): every occurrence is a place a
# phrase may end; the entity model decides whether one does, and where it starts.
TASK_PHRASE_HEADS = _words(
    """
learning generation classification training selection prediction tuning fine-tuning clustering
generalization pretraining pre-training inference regression analysis segmentation transfer
detection recognition adaptation distillation retrieval search understanding personalization
modeling modelling answering synthesis summarization extraction alignment estimation
optimization forecasting augmentation translation reasoning quantization tagging completion
evaluation embedding interpretability verification editing compression captioning parsing
planning tracking matching ranking recommendation localization reconstruction denoising
restoration comprehension identification labeling labelling processing
"""
)
METRIC_PHRASE_HEADS = _words(
    """
accuracy throughput latency speed speedup flops score recall precision coefficient
similarity perplexity time rate error entropy regret cost
"""
)
# Words that never start a task or metric phrase: the walk back from a head stops at them.
PHRASE_BARRIER = _words(
    "the a an of for and or in on to with our this that these we is are by from as via at "
    "its their it be can than into over under"
)
