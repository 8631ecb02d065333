using System.Globalization;
using System.Text.Json.Nodes;

namespace SamAudio.Infra.Tests;

/// <summary>
/// One parsed ARM template expression (the text between the outer brackets of <c>"[...]"</c>): literals, function
/// calls, <c>.property</c> and <c>[index]</c> accessors. <see cref="ArmEvaluator"/> gives it a value.
/// </summary>
public abstract record ArmExpression
{
    public sealed record Literal(JsonNode? Value) : ArmExpression;

    public sealed record Call(string Name, IReadOnlyList<ArmExpression> Arguments) : ArmExpression;

    public sealed record Member(ArmExpression Target, string Name) : ArmExpression;

    public sealed record Indexer(ArmExpression Target, ArmExpression Key) : ArmExpression;

    /// <summary>True for a JSON string the deployment engine evaluates: <c>[...]</c>, but not the <c>[[</c> escape.</summary>
    public static bool IsExpression(string text) => text.Length >= 2 && text[0] == '[' && text[^1] == ']' && text[1] != '[';

    public static ArmExpression Parse(string text)
    {
        var parser = new Parser(IsExpression(text) ? text[1..^1] : text);
        var expression = parser.Expression();
        parser.SkipSpace();
        if (!parser.AtEnd) throw new FormatException($"Unexpected text at {parser.Position} in '{text}'.");
        return expression;
    }

    private sealed class Parser(string text)
    {
        public int Position { get; private set; }

        public bool AtEnd => Position == text.Length;

        public void SkipSpace()
        {
            while (!AtEnd && char.IsWhiteSpace(text[Position])) Position++;
        }

        public ArmExpression Expression()
        {
            var expression = Primary();
            while (true)
            {
                SkipSpace();
                if (Accept('.')) expression = new Member(expression, Identifier());
                else if (Accept('[')) { expression = new Indexer(expression, Expression()); Expect(']'); }
                else return expression;
            }
        }

        private ArmExpression Primary()
        {
            SkipSpace();
            if (AtEnd) throw new FormatException($"Expression ends early in '{text}'.");
            var c = text[Position];
            if (c == '\'') return new Literal(JsonValue.Create(StringLiteral()));
            if (char.IsDigit(c) || c == '-') return new Literal(JsonValue.Create(Integer()));
            var name = Identifier();
            Expect('(');
            var arguments = new List<ArmExpression>();
            SkipSpace();
            if (!Accept(')'))
            {
                do arguments.Add(Expression()); while (Accept(','));
                Expect(')');
            }
            return new Call(name, arguments);
        }

        private string StringLiteral()
        {
            Expect('\'');
            var value = new System.Text.StringBuilder();
            while (true)
            {
                if (AtEnd) throw new FormatException($"Unterminated string in '{text}'.");
                var c = text[Position++];
                if (c != '\'') { value.Append(c); continue; }
                if (!AtEnd && text[Position] == '\'') { value.Append('\''); Position++; continue; }
                return value.ToString();
            }
        }

        private long Integer()
        {
            var start = Position;
            if (text[Position] == '-') Position++;
            while (!AtEnd && char.IsDigit(text[Position])) Position++;
            return long.Parse(text[start..Position], CultureInfo.InvariantCulture);
        }

        private string Identifier()
        {
            SkipSpace();
            var start = Position;
            while (!AtEnd && (char.IsLetterOrDigit(text[Position]) || text[Position] == '_' || text[Position] == '$')) Position++;
            if (start == Position) throw new FormatException($"Name expected at {start} in '{text}'.");
            return text[start..Position];
        }

        private bool Accept(char c)
        {
            SkipSpace();
            if (AtEnd || text[Position] != c) return false;
            Position++;
            return true;
        }

        private void Expect(char c)
        {
            if (!Accept(c)) throw new FormatException($"'{c}' expected at {Position} in '{text}'.");
        }
    }
}
