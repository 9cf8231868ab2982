// Fuzz target: the postgres_changes filter parser and builders (tf::PostgresFilter, §5.4).
//
// Input: a filter string, then (after the first newline) a JSON object used as a record.
// Checks: a filter is either valid or has an error, never both; a valid filter's text parses
// back to the same filter (so what the client sends is what it evaluates); the server part is
// the first condition; `not.` inverts; every builder call with a record field as operand either
// refuses with a reason or produces text that parses back to the same condition.
#include "fuzzsupport.h"

#include "postgresfilter.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace tf;

namespace {

using Operator = FilterCondition::Operator;

void checkShape(const PostgresFilter &filter, const QString &input)
{
    TF_FUZZ_CHECK(filter.isValid() == filter.errorString().isEmpty(), input);
    if (!filter.isValid())
        TF_FUZZ_CHECK(filter.conditions().isEmpty() && filter.toString().isEmpty(), input);
}

void checkRoundTrip(const PostgresFilter &filter, const QString &input)
{
    if (!filter.isValid())
        return;
    const QString text = filter.toString();
    const PostgresFilter again = PostgresFilter::parse(text);
    TF_FUZZ_CHECK(again.isValid(), input + u" -> " + text + u": " + again.errorString());
    TF_FUZZ_CHECK(again == filter, input + u" -> " + text + u" -> " + again.toString());
    if (!filter.isEmpty()) {
        const PostgresFilter server = PostgresFilter::parse(filter.serverFilter());
        TF_FUZZ_CHECK(server.conditions().size() == 1 && server.conditions().first() == filter.conditions().first(),
                      input + u" server part " + filter.serverFilter());
        TF_FUZZ_CHECK(filter.clientConditions().size() == filter.conditions().size() - 1, input);
    }
}

void checkEvaluation(const PostgresFilter &filter, const QJsonObject &record)
{
    const bool all = filter.matches(record);
    if (all)
        TF_FUZZ_CHECK(filter.matchesClientConditions(record), filter.toString());
    for (const FilterCondition &condition : filter.conditions()) {
        const auto plain = condition.evaluate(record);
        FilterCondition inverted = condition;
        inverted.negated = !inverted.negated;
        const auto negated = inverted.evaluate(record);
        TF_FUZZ_CHECK(plain.has_value() == negated.has_value(), condition.toString());
        if (plain)
            TF_FUZZ_CHECK(*plain != *negated, condition.toString());
    }
}

void checkBuilders(const QJsonObject &record)
{
    const Operator ops[] = {Operator::Eq, Operator::Neq, Operator::Lt, Operator::Lte, Operator::Gt,
                            Operator::Gte, Operator::In, Operator::Like, Operator::ILike, Operator::Is,
                            Operator::Match, Operator::IMatch, Operator::IsDistinct};
    int budget = 8;
    for (auto it = record.begin(); it != record.end() && budget-- > 0; ++it) {
        for (const Operator op : ops) {
            const PostgresFilter built = PostgresFilter::where(it.key(), op, it.value());
            checkShape(built, it.key());
            checkRoundTrip(built, it.key() + u' ' + filterOperatorName(op));
            if (built.isValid()) {
                checkRoundTrip(built.negated(), it.key());
                TF_FUZZ_CHECK(built.negated().negated() == built, built.toString());
                checkEvaluation(built, record);
            }
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz::InputReader input(data, size);
    const QString text = QString::fromUtf8(input.until('\n'));
    const QJsonObject record = QJsonDocument::fromJson(input.rest()).object();

    const PostgresFilter filter = PostgresFilter::parse(text);
    checkShape(filter, text);
    checkRoundTrip(filter, text);
    checkEvaluation(filter, record);
    if (filter.isValid() && filter.conditions().size() == 1)
        checkRoundTrip(filter.negated(), text);
    checkShape(filter.andAlso(filter), text);
    checkBuilders(record);
    return 0;
}
