using System.Globalization;
using System.Text;

namespace Fhirhouse.Fhir.FhirPath;

/// <summary>
/// Compiles a FHIRPath expression (the subset SQL-on-FHIR v2 requires) into a tree of evaluating nodes, resolving
/// %constants and function names at compile time so that evaluation does no lookups by name.
/// </summary>
internal sealed class FhirPathCompiler
{
    private static readonly Dictionary<string, (FunctionKind Kind, int MinArgs, int MaxArgs)> s_functions = new(StringComparer.Ordinal)
    {
        ["where"] = (FunctionKind.Where, 1, 1),
        ["select"] = (FunctionKind.Select, 1, 1),
        ["exists"] = (FunctionKind.Exists, 0, 1),
        ["empty"] = (FunctionKind.Empty, 0, 0),
        ["first"] = (FunctionKind.First, 0, 0),
        ["last"] = (FunctionKind.Last, 0, 0),
        ["count"] = (FunctionKind.Count, 0, 0),
        ["ofType"] = (FunctionKind.OfType, 1, 1),
        ["as"] = (FunctionKind.OfType, 1, 1),
        ["is"] = (FunctionKind.Is, 1, 1),
        ["not"] = (FunctionKind.Not, 0, 0),
        ["join"] = (FunctionKind.Join, 0, 1),
        ["extension"] = (FunctionKind.Extension, 1, 1),
        ["getResourceKey"] = (FunctionKind.GetResourceKey, 0, 0),
        ["getReferenceKey"] = (FunctionKind.GetReferenceKey, 0, 1),
        ["lowBoundary"] = (FunctionKind.LowBoundary, 0, 0),
        ["highBoundary"] = (FunctionKind.HighBoundary, 0, 0),
        ["startsWith"] = (FunctionKind.StartsWith, 1, 1),
        ["contains"] = (FunctionKind.Contains, 1, 1),
        ["toString"] = (FunctionKind.ToString, 0, 0),
        ["endsWith"] = (FunctionKind.EndsWith, 1, 1),
        ["iif"] = (FunctionKind.Iif, 2, 3),
        ["lower"] = (FunctionKind.Lower, 0, 0),
        ["upper"] = (FunctionKind.Upper, 0, 0),
        ["length"] = (FunctionKind.Length, 0, 0),
        ["substring"] = (FunctionKind.Substring, 1, 2),
        ["toInteger"] = (FunctionKind.ToInteger, 0, 0),
        ["toDecimal"] = (FunctionKind.ToDecimal, 0, 0),
        ["hasValue"] = (FunctionKind.HasValue, 0, 0),
        ["distinct"] = (FunctionKind.Distinct, 0, 0),
        ["single"] = (FunctionKind.Single, 0, 0),
        ["tail"] = (FunctionKind.Tail, 0, 0),
        ["skip"] = (FunctionKind.Skip, 1, 1),
        ["take"] = (FunctionKind.Take, 1, 1),
    };

    private readonly string _text;
    private readonly IReadOnlyDictionary<string, FhirItem> _constants;
    private int _position;
    private Token _current;

    private FhirPathCompiler(string text, IReadOnlyDictionary<string, FhirItem> constants)
    {
        _text = text;
        _constants = constants;
        _current = Lex();
    }

    /// <summary>Compiles the expression; throws <see cref="FhirPathException"/> naming the position of the problem.</summary>
    public static FhirPathNode Compile(string text, IReadOnlyDictionary<string, FhirItem> constants)
    {
        var compiler = new FhirPathCompiler(text, constants);
        if (compiler._current.Kind == TokenKind.End)
        {
            throw compiler.Error("empty expression");
        }

        var node = compiler.ParseExpression(0);
        if (compiler._current.Kind != TokenKind.End)
        {
            throw compiler.Error($"unexpected '{compiler._current.Text}'");
        }

        return node;
    }

    private static int Precedence(Token token, out BinaryOperator op)
    {
        op = default;
        var text = token.Text;
        if (token.Kind == TokenKind.Symbol)
        {
            (op, var level) = text switch
            {
                "*" => (BinaryOperator.Multiply, 9),
                "/" => (BinaryOperator.Divide, 9),
                "+" => (BinaryOperator.Add, 8),
                "-" => (BinaryOperator.Subtract, 8),
                "&" => (BinaryOperator.Concatenate, 8),
                "|" => (BinaryOperator.Union, 6),
                "<" => (BinaryOperator.LessThan, 5),
                ">" => (BinaryOperator.GreaterThan, 5),
                "<=" => (BinaryOperator.LessOrEqual, 5),
                ">=" => (BinaryOperator.GreaterOrEqual, 5),
                "=" => (BinaryOperator.Equal, 4),
                "!=" => (BinaryOperator.NotEqual, 4),
                "~" => (BinaryOperator.Equivalent, 4),
                "!~" => (BinaryOperator.NotEquivalent, 4),
                _ => (default(BinaryOperator), -1),
            };
            return level;
        }

        if (token.Kind == TokenKind.Identifier)
        {
            (op, var level) = text switch
            {
                "div" => (BinaryOperator.IntegerDivide, 9),
                "mod" => (BinaryOperator.Modulo, 9),
                "in" => (BinaryOperator.In, 3),
                "contains" => (BinaryOperator.Contains, 3),
                "and" => (BinaryOperator.And, 2),
                "or" => (BinaryOperator.Or, 1),
                "xor" => (BinaryOperator.Xor, 1),
                "implies" => (BinaryOperator.Implies, 0),
                _ => (default(BinaryOperator), -1),
            };
            return level;
        }

        return -1;
    }

    private FhirPathNode ParseExpression(int minLevel)
    {
        var left = ParseUnary();
        while (true)
        {
            if (TypeOperatorLevel >= minLevel && _current.Kind == TokenKind.Identifier && _current.Text is "is" or "as")
            {
                var isTest = _current.Text == "is";
                Advance();
                var typeName = ParseTypeSpecifier();
                left = isTest ? new PathNode(left, new FunctionNode(FunctionKind.Is, [], typeName))
                    : Invocation(left, new FunctionNode(FunctionKind.OfType, [], typeName));
                continue;
            }

            var level = Precedence(_current, out var op);
            if (level < minLevel)
            {
                return left;
            }

            Advance();
            var right = ParseExpression(level + 1);
            left = new BinaryNode(op, left, right);
        }
    }

    /// <summary>The precedence of <c>is</c> and <c>as</c>: looser than + and -, tighter than |.</summary>
    private const int TypeOperatorLevel = 7;

    private string ParseTypeSpecifier()
    {
        if (_current.Kind != TokenKind.Identifier)
        {
            throw Error($"expected a type name, got '{_current.Text}'");
        }

        var name = _current.Text;
        Advance();
        if (_current.Is("."))
        {
            Advance();
            if (_current.Kind != TokenKind.Identifier)
            {
                throw Error($"expected a type name after '{name}.', got '{_current.Text}'");
            }

            name = _current.Text;
            Advance();
        }

        return name;
    }

    private FhirPathNode ParseUnary()
    {
        if (_current.Is("-"))
        {
            Advance();
            return new NegateNode(ParseUnary());
        }

        if (_current.Is("+"))
        {
            Advance();
            return ParseUnary();
        }

        return ParsePostfix(ParseTerm());
    }

    private FhirPathNode ParsePostfix(FhirPathNode node)
    {
        while (true)
        {
            if (_current.Is("."))
            {
                Advance();
                node = Invocation(node, ParseInvocation());
            }
            else if (_current.Is("["))
            {
                Advance();
                var index = ParseExpression(0);
                Expect("]");
                node = new IndexerNode(node, index);
            }
            else
            {
                return node;
            }
        }
    }

    /// <summary>Chains <c>source.next</c>, fusing <c>member.ofType(T)</c> into one lookup of the choice element.</summary>
    private static FhirPathNode Invocation(FhirPathNode source, FhirPathNode next)
    {
        if (next is FunctionNode { Kind: FunctionKind.OfType } ofType)
        {
            if (source is MemberNode { ChoiceType: null } member)
            {
                return member.WithType(ofType.TypeName!);
            }

            if (source is PathNode { Right: MemberNode { ChoiceType: null } last } path)
            {
                return new PathNode(path.Left, last.WithType(ofType.TypeName!));
            }
        }

        return new PathNode(source, next);
    }

    private FhirPathNode ParseInvocation()
    {
        var token = _current;
        if (token.Kind != TokenKind.Identifier)
        {
            throw Error($"expected a name after '.', got '{token.Text}'");
        }

        Advance();
        if (_current.Is("("))
        {
            return ParseFunction(token);
        }

        return token.Text switch
        {
            "$this" => new ThisNode(),
            _ => new MemberNode(token.Text),
        };
    }

    private FhirPathNode ParseTerm()
    {
        var token = _current;
        switch (token.Kind)
        {
            case TokenKind.String:
                Advance();
                return new LiteralNode(FhirItem.FromString(token.Text));
            case TokenKind.Number:
                Advance();
                return new LiteralNode(token.Text.Contains('.', StringComparison.Ordinal)
                    ? FhirItem.FromDecimal(decimal.Parse(token.Text, NumberStyles.Float, CultureInfo.InvariantCulture))
                    : FhirItem.FromInteger(long.Parse(token.Text, CultureInfo.InvariantCulture)));
            case TokenKind.Temporal:
                Advance();
                return new LiteralNode(FhirItem.FromTemporal(
                    token.Text.StartsWith('T') ? ItemKind.Time : token.Text.Contains('T', StringComparison.Ordinal) ? ItemKind.DateTime : ItemKind.Date,
                    token.Text.StartsWith('T') ? token.Text[1..] : token.Text));
            case TokenKind.Variable:
                Advance();
                return Variable(token);
            case TokenKind.Identifier:
                Advance();
                if (_current.Is("("))
                {
                    return ParseFunction(token);
                }

                return token.Text switch
                {
                    "$this" => new ThisNode(),
                    "true" => new LiteralNode(FhirItem.FromBoolean(true)),
                    "false" => new LiteralNode(FhirItem.FromBoolean(false)),
                    _ when token.Text.StartsWith('$') => throw Error($"unknown variable '{token.Text}'", token),
                    _ => new MemberNode(token.Text),
                };
            case TokenKind.Symbol when token.Is("("):
                Advance();
                var inner = ParseExpression(0);
                Expect(")");
                return inner;
            case TokenKind.Symbol when token.Is("{"):
                Advance();
                Expect("}");
                return new LiteralNode(null);
            default:
                throw Error(token.Kind == TokenKind.End ? "unexpected end of expression" : $"unexpected '{token.Text}'", token);
        }
    }

    private FhirPathNode Variable(Token token)
    {
        switch (token.Text)
        {
            case "rowIndex":
                return new ContextVariableNode(rowIndex: true);
            case "resource" or "rootResource" or "context":
                return new ContextVariableNode(rowIndex: false);
        }

        return _constants.TryGetValue(token.Text, out var value)
            ? new LiteralNode(value)
            : throw Error($"undefined constant '%{token.Text}'", token);
    }

    private FhirPathNode ParseFunction(Token name)
    {
        Expect("(");
        var arguments = new List<FhirPathNode>();
        if (!_current.Is(")"))
        {
            arguments.Add(ParseExpression(0));
            while (_current.Is(","))
            {
                Advance();
                arguments.Add(ParseExpression(0));
            }
        }

        Expect(")");
        if (!s_functions.TryGetValue(name.Text, out var signature))
        {
            throw Error($"unknown function '{name.Text}'", name);
        }

        if (arguments.Count < signature.MinArgs || arguments.Count > signature.MaxArgs)
        {
            throw Error($"function '{name.Text}' takes {signature.MinArgs}..{signature.MaxArgs} arguments, got {arguments.Count}", name);
        }

        string? typeName = null;
        if (signature.Kind is FunctionKind.OfType or FunctionKind.Is or FunctionKind.GetReferenceKey && arguments.Count == 1)
        {
            typeName = arguments[0] switch
            {
                MemberNode member => member.Name,
                PathNode { Left: MemberNode, Right: MemberNode type } => type.Name,
                _ => throw Error($"function '{name.Text}' needs a type name", name),
            };
            arguments.Clear();
        }

        return new FunctionNode(signature.Kind, [.. arguments], typeName);
    }

    private void Expect(string symbol)
    {
        if (!_current.Is(symbol))
        {
            throw Error(_current.Kind == TokenKind.End ? $"expected '{symbol}' before the end" : $"expected '{symbol}', got '{_current.Text}'");
        }

        Advance();
    }

    private void Advance() => _current = Lex();

    private FhirPathException Error(string reason) => Error(reason, _current);

    private FhirPathException Error(string reason, Token token) => new(_text, token.Position, reason);

    private Token Lex()
    {
        var text = _text;
        while (_position < text.Length)
        {
            if (char.IsWhiteSpace(text[_position]))
            {
                _position++;
            }
            else if (text.AsSpan(_position).StartsWith("//", StringComparison.Ordinal))
            {
                while (_position < text.Length && text[_position] != '\n')
                {
                    _position++;
                }
            }
            else if (text.AsSpan(_position).StartsWith("/*", StringComparison.Ordinal))
            {
                var end = text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
                _position = end < 0 ? throw new FhirPathException(text, _position, "unterminated comment") : end + 2;
            }
            else
            {
                break;
            }
        }

        var start = _position;
        if (_position >= text.Length)
        {
            return new Token(TokenKind.End, string.Empty, start);
        }

        var c = text[_position];
        if (char.IsAsciiLetter(c) || c == '_' || c == '$')
        {
            _position++;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return new Token(TokenKind.Identifier, text[start.._position], start);
        }

        if (c == '`')
        {
            return new Token(TokenKind.Identifier, Quoted('`'), start);
        }

        if (c == '\'')
        {
            return new Token(TokenKind.String, Quoted('\''), start);
        }

        if (char.IsAsciiDigit(c))
        {
            while (_position < text.Length && char.IsAsciiDigit(text[_position]))
            {
                _position++;
            }

            if (_position + 1 < text.Length && text[_position] == '.' && char.IsAsciiDigit(text[_position + 1]))
            {
                _position++;
                while (_position < text.Length && char.IsAsciiDigit(text[_position]))
                {
                    _position++;
                }
            }

            return new Token(TokenKind.Number, text[start.._position], start);
        }

        if (c == '%')
        {
            _position++;
            if (_position < text.Length && text[_position] is '`' or '\'')
            {
                return new Token(TokenKind.Variable, Quoted(text[_position]), start);
            }

            var nameStart = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
            {
                _position++;
            }

            return _position == nameStart
                ? throw new FhirPathException(text, start, "'%' must be followed by a constant name")
                : new Token(TokenKind.Variable, text[nameStart.._position], start);
        }

        if (c == '@')
        {
            _position++;
            while (_position < text.Length && (char.IsAsciiDigit(text[_position]) || text[_position] is '-' or ':' or '.' or 'T' or 'Z' or '+'))
            {
                _position++;
            }

            var literal = text[(start + 1).._position];
            return literal.Length == 0 || !(char.IsAsciiDigit(literal[0]) || literal[0] == 'T')
                ? throw new FhirPathException(text, start, "'@' must start a date, date-time or time literal")
                : new Token(TokenKind.Temporal, literal, start);
        }

        foreach (var symbol in (ReadOnlySpan<string>)["<=", ">=", "!=", "!~"])
        {
            if (text.AsSpan(_position).StartsWith(symbol, StringComparison.Ordinal))
            {
                _position += 2;
                return new Token(TokenKind.Symbol, symbol, start);
            }
        }

        if ("().[],+-*/&|=~<>{}".Contains(c, StringComparison.Ordinal))
        {
            _position++;
            return new Token(TokenKind.Symbol, c.ToString(), start);
        }

        throw new FhirPathException(text, start, $"unexpected character '{c}'");
    }

    private string Quoted(char quote)
    {
        var text = _text;
        var start = _position;
        _position++;
        var value = new StringBuilder();
        while (_position < text.Length && text[_position] != quote)
        {
            var c = text[_position++];
            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (_position >= text.Length)
            {
                break;
            }

            var escaped = text[_position++];
            switch (escaped)
            {
                case 'n': value.Append('\n'); break;
                case 't': value.Append('\t'); break;
                case 'r': value.Append('\r'); break;
                case 'f': value.Append('\f'); break;
                case 'u' when _position + 4 <= text.Length:
                    value.Append((char)int.Parse(text.AsSpan(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    _position += 4;
                    break;
                default: value.Append(escaped); break;
            }
        }

        if (_position >= text.Length)
        {
            throw new FhirPathException(text, start, $"unterminated {quote}quoted{quote} text");
        }

        _position++;
        return value.ToString();
    }
}
