"""What a complaint text is made of, for the matter classifier: normalised characters, jieba
words, and character n-grams.

Words carry the meaning a dispatcher reads ("垃圾池", "不出水"); single characters, bigrams and
trigrams catch what the segmenter splits badly in dialect, typos and run-on voice input
("垃圾池子满出来" still shares "垃圾" and "圾池" with "垃圾池"; "麦秸" shares "秸" with "秸秆").
A text is features of both kinds; words are prefixed so the two never collide.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Iterable

import jieba

jieba.setLogLevel(logging.WARNING)

WORD = "w:"
GRAM = "c:"

# Function words and the speech around a complaint ("俺想反映一下…", "麻烦管管") that say nothing
# about which matter it is; the classifier would learn noise from them on a few hundred texts.
STOPWORDS = frozenset(
    """
    的 了 着 过 呢 吗 吧 啊 呀 哇 哦 嘛 哩 咧 啦 喽 么 呗 嗯 哈 诶 唉 哎 呐 噢
    我 你 他 她 它 我们 你们 他们 她们 俺 俺们 咱 咱们 自己 人家 大家 谁 啥 咋 怎么 什么 为啥 为什么
    这 那 这个 那个 这些 那些 这儿 那儿 这里 那里 这边 那边 哪 哪儿 哪里 这样 那样 这么 那么
    是 在 有 和 与 跟 同 及 或 或者 就 都 也 还 又 再 才 只 很 太 忒 贼 挺 真 可 可是 但是 但 而且
    不 没 没有 别 一 一个 个 一下 一点 点 些 把 被 给 让 叫 对 向 从 到 往 于 为 以 上 下 里 中
    想 要 能 会 可以 应该 得 地 之 所以 因为 如果 要是 然后 现在 已经 一直 还是 就是 说 问 看
    请 麻烦 帮 帮忙 帮助 管管 管 一管 反映 反应 投诉 举报 咨询 情况 问题 事 事情 有关 相关 部门
    领导 政府 同志 您好 你好 谢谢 感谢 希望 尽快 赶紧 快点 给个 解决 处理 一下子 好 啊啊
    """.split()  # noqa: SIM905 - one block of text reads better than 180 quoted words
)

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w]+")  # anything that is not a letter, digit or CJK character
_DIGITS = re.compile(r"\d+")
_CJK_RUNS = re.compile(r"[^\x00-\x7f\s]+")

_TOKENIZER = jieba.Tokenizer()
_TOKENIZER_LOCK = threading.Lock()
_KNOWN_WORDS: set[str] = set()


def normalise(text: str) -> str:
    """Full-width to half-width, lower case, digits to one symbol, punctuation to spaces:
    "５０米" and "50米" and "三十米" differ only where they should."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _DIGITS.sub("0", text)
    return _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip()


def teach_words(words: Iterable[str]) -> None:
    """Tell the segmenter the catalog's own words (matter names, keywords), so "占道经营" stays
    one word. Idempotent; the dictionary only grows."""
    new = [w for w in words if 2 <= len(w) <= 12 and w not in _KNOWN_WORDS]
    if not new:
        return
    with _TOKENIZER_LOCK:
        for word in new:
            if word not in _KNOWN_WORDS:
                _TOKENIZER.add_word(word, freq=2000)
                _KNOWN_WORDS.add(word)


def words(text: str) -> list[str]:
    """jieba words of the normalised text, without function words and lone digits."""
    out = []
    for chunk in normalise(text).split(" "):
        for word in _TOKENIZER.lcut(chunk, HMM=True):
            if word and word not in STOPWORDS and word != "0" and not word.isspace():
                out.append(word)
    return out


def grams(text: str) -> list[str]:
    """Characters, bigrams and trigrams within each run of Chinese text (never across
    punctuation or Latin letters and digits). Latin words and numbers count as whole words
    only ("KTV", "S325"): their letters would otherwise make "asdf" or "<script>" look like
    something the classifier knows."""
    out = []
    for run in _CJK_RUNS.findall(normalise(text)):
        out.extend(run)
        for n in (2, 3):
            out.extend(run[i : i + n] for i in range(len(run) - n + 1))
    return out


def features(text: str) -> list[str]:
    """The classifier's input: prefixed words and character n-grams."""
    return words_and_features(text)[1]


def words_and_features(text: str) -> tuple[list[str], list[str]]:
    """The text's words (for showing reasons) and its features, segmenting only once."""
    found = words(text)
    return found, [WORD + w for w in found] + [GRAM + g for g in grams(text)]
