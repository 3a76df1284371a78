#include "rules/condition.h"

#include <array>

namespace vigil::rules {

namespace {

struct OpWord {
  std::string_view word;
  Op op;
};
constexpr std::array<OpWord, 14> kOps = {{
    {"=", Op::kEq},
    {"!=", Op::kNe},
    {"<", Op::kLt},
    {"<=", Op::kLe},
    {">", Op::kGt},
    {">=", Op::kGe},
    {"contains", Op::kContains},
    {"icontains", Op::kIContains},
    {"startswith", Op::kStartsWith},
    {"endswith", Op::kEndsWith},
    {"glob", Op::kGlob},
    {"regex", Op::kRegex},
    {"in", Op::kIn},
    {"exists", Op::kExists},
}};

enum class Tok { kEnd, kWord, kString, kOp, kOpen, kClose, kComma, kBad };

struct Token {
  Tok kind = Tok::kEnd;
  std::string text; // a word, the unescaped string, an operator
  std::size_t offset = 0;
};

bool ends_word(char c) {
  switch (c) {
  case ' ':
  case '\t':
  case '\n':
  case '\r':
  case '(':
  case ')':
  case ',':
  case '=':
  case '<':
  case '>':
  case '"':
  case '\'':
    return true;
  default:
    return false;
  }
}

class Lexer {
public:
  explicit Lexer(std::string_view text) : text_(text) { advance(); }

  const Token &peek() const { return tok_; }
  Token take() {
    Token t = std::move(tok_);
    advance();
    return t;
  }

private:
  void advance() {
    while (pos_ < text_.size() &&
           (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' ||
            text_[pos_] == '\r')) {
      ++pos_;
    }
    tok_ = Token{};
    tok_.offset = pos_;
    if (pos_ >= text_.size())
      return;
    char c = text_[pos_];
    if (c == '(' || c == ')' || c == ',') {
      tok_.kind = c == '(' ? Tok::kOpen : c == ')' ? Tok::kClose : Tok::kComma;
      tok_.text = std::string(1, c);
      ++pos_;
      return;
    }
    if (c == '=' || c == '<' || c == '>' ||
        (c == '!' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '=')) {
      std::size_t n = 1;
      if (c != '=' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '=')
        n = 2;
      tok_.kind = Tok::kOp;
      tok_.text = std::string(text_.substr(pos_, n));
      pos_ += n;
      return;
    }
    if (c == '"' || c == '\'') {
      string(c);
      return;
    }
    std::size_t start = pos_;
    while (pos_ < text_.size() && !ends_word(text_[pos_]))
      ++pos_;
    tok_.kind = Tok::kWord;
    tok_.text = std::string(text_.substr(start, pos_ - start));
  }

  void string(char quote) {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size() &&
          (text_[pos_] == quote || text_[pos_] == '\\')) {
        c = text_[pos_++];
      }
      tok_.text.push_back(c);
    }
    if (pos_ >= text_.size()) {
      tok_.kind = Tok::kBad;
      tok_.text = "unterminated string: a closing ";
      tok_.text += quote;
      tok_.text += " is missing";
      return;
    }
    ++pos_;
    tok_.kind = Tok::kString;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  Token tok_;
};

std::optional<Op> op_of(const Token &t) {
  if (t.kind != Tok::kOp && t.kind != Tok::kWord)
    return std::nullopt;
  for (const OpWord &o : kOps) {
    if (o.word == t.text)
      return o.op;
  }
  return std::nullopt;
}

bool is_keyword(const std::string &w) {
  return w == "and" || w == "or" || w == "not";
}

class Parser {
public:
  explicit Parser(std::string_view text) : lex_(text) {}

  std::unique_ptr<Ast> parse(std::optional<ParseError> &error) {
    std::unique_ptr<Ast> tree = expr();
    if (!error_ && lex_.peek().kind != Tok::kEnd) {
      const Token &t = lex_.peek();
      fail(t.offset, t.kind == Tok::kClose
                         ? "unexpected ')': no '(' is open"
                         : "expected 'and' or 'or' before '" + t.text + "'");
    }
    if (error_) {
      error = std::move(error_);
      return nullptr;
    }
    return tree;
  }

private:
  void fail(std::size_t offset, std::string message) {
    if (!error_)
      error_ = ParseError{offset, std::move(message)};
  }

  bool word_is(std::string_view w) const {
    return lex_.peek().kind == Tok::kWord && lex_.peek().text == w;
  }

  std::unique_ptr<Ast> chain(Ast::Kind kind, std::string_view word,
                             std::unique_ptr<Ast> (Parser::*next)()) {
    std::size_t offset = lex_.peek().offset;
    std::unique_ptr<Ast> first = (this->*next)();
    if (!word_is(word) || error_)
      return first;
    auto node = std::make_unique<Ast>();
    node->kind = kind;
    node->offset = offset;
    node->kids.push_back(std::move(first));
    while (word_is(word) && !error_) {
      lex_.take();
      node->kids.push_back((this->*next)());
    }
    return node;
  }

  std::unique_ptr<Ast> expr() {
    return chain(Ast::Kind::kOr, "or", &Parser::conj);
  }
  std::unique_ptr<Ast> conj() {
    return chain(Ast::Kind::kAnd, "and", &Parser::negation);
  }

  std::unique_ptr<Ast> negation() {
    if (word_is("not")) {
      auto node = std::make_unique<Ast>();
      node->kind = Ast::Kind::kNot;
      node->offset = lex_.take().offset;
      node->kids.push_back(negation());
      return node;
    }
    return primary();
  }

  std::unique_ptr<Ast> primary() {
    const Token &t = lex_.peek();
    if (t.kind == Tok::kOpen) {
      std::size_t open = lex_.take().offset;
      std::unique_ptr<Ast> inner = expr();
      if (!error_ && lex_.peek().kind != Tok::kClose) {
        fail(open, "this '(' is never closed");
      }
      if (!error_)
        lex_.take();
      return inner;
    }
    if (t.kind == Tok::kBad) {
      fail(t.offset, t.text);
      return nullptr;
    }
    if (t.kind == Tok::kEnd) {
      fail(t.offset, "a condition is missing here");
      return nullptr;
    }
    if (t.kind != Tok::kWord || is_keyword(t.text)) {
      fail(t.offset, "expected a field or a macro, found '" + t.text + "'");
      return nullptr;
    }
    Token name = lex_.take();
    auto node = std::make_unique<Ast>();
    node->offset = name.offset;
    node->name = name.text;
    std::optional<Op> op = op_of(lex_.peek());
    if (!op) {
      node->kind = Ast::Kind::kMacro;
      return node;
    }
    node->kind = Ast::Kind::kCompare;
    node->op = *op;
    Token op_tok = lex_.take();
    node->op_offset = op_tok.offset;
    if (*op == Op::kExists)
      return node;
    if (*op == Op::kIn) {
      in_values(*node);
      return node;
    }
    node->values.push_back(operand(op_tok.text, op_tok.offset));
    return node;
  }

  Operand operand(const std::string &after, std::size_t after_offset) {
    const Token &t = lex_.peek();
    if (t.kind == Tok::kBad) {
      fail(t.offset, t.text);
      return {};
    }
    if ((t.kind != Tok::kWord && t.kind != Tok::kString) ||
        (t.kind == Tok::kWord && is_keyword(t.text))) {
      fail(t.kind == Tok::kEnd ? after_offset : t.offset,
           "expected a value after '" + after + "'");
      return {};
    }
    Token v = lex_.take();
    return {v.text, v.kind == Tok::kString, v.offset};
  }

  void in_values(Ast &node) {
    if (lex_.peek().kind != Tok::kOpen) {
      // in list_name
      node.values.push_back(operand("in", node.op_offset));
      return;
    }
    node.parenthesized = true;
    std::size_t open = lex_.take().offset;
    if (lex_.peek().kind == Tok::kClose) {
      fail(open, "an empty list: give at least one value");
      return;
    }
    for (;;) {
      node.values.push_back(operand(node.values.empty() ? "(" : ",", open));
      if (error_)
        return;
      const Token &t = lex_.peek();
      if (t.kind == Tok::kClose) {
        lex_.take();
        return;
      }
      if (t.kind != Tok::kComma) {
        fail(t.kind == Tok::kEnd ? open : t.offset,
             t.kind == Tok::kEnd ? "this '(' is never closed"
                                 : "expected ',' or ')' in the list");
        return;
      }
      lex_.take();
    }
  }

  Lexer lex_;
  std::optional<ParseError> error_;
};

} // namespace

std::string_view op_name(Op op) {
  for (const OpWord &o : kOps) {
    if (o.op == op)
      return o.word;
  }
  return "?";
}

std::unique_ptr<Ast> parse_condition(std::string_view text,
                                     std::optional<ParseError> &error) {
  Parser p(text);
  return p.parse(error);
}

} // namespace vigil::rules
