// Fuzz target: the postgres_changes payload parser (tf::PostgresChange) and what the client does
// with a parsed change next, the filter conditions evaluated against its record.
//
// Input: a JSON document, either a payload ({"ids":[…],"data":{…}}) or a whole V2 frame whose
// fifth element is one. The same object is also read as a database broadcast payload.
// Checks: a refusal always says why; an accepted change has schema and table, and the image its
// type needs (unless the server reported errors); evaluating any condition on any of its fields
// never crashes, and `not.` inverts a known result and keeps unknown unknown.
#include "fuzzsupport.h"

#include "postgreschange.h"
#include "postgresfilter.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace tf;

namespace {

using Operator = FilterCondition::Operator;

// Operands the conditions are tried with: a number, a boolean, a timestamp, a LIKE pattern (also
// plain text and, for match, a regex).
const QStringList &operands()
{
    static const QStringList values{QStringLiteral("-1.5e3"), QStringLiteral("true"),
                                    QStringLiteral("2026-08-21T10:15:30.123Z"), QStringLiteral("%a_")};
    return values;
}

void evaluateAll(const QJsonObject &record)
{
    const Operator ops[] = {Operator::Eq, Operator::Neq, Operator::Lt, Operator::Lte, Operator::Gt,
                            Operator::Gte, Operator::In, Operator::Like, Operator::ILike, Operator::Is,
                            Operator::Match, Operator::IMatch, Operator::IsDistinct};
    int budget = 6; // fields tried per record, so big records stay fast
    for (auto it = record.begin(); it != record.end() && budget-- > 0; ++it) {
        for (const Operator op : ops) {
            for (const QString &operand : operands()) {
                FilterCondition condition;
                condition.column = it.key();
                condition.op = op;
                condition.value = op == Operator::Is ? QStringLiteral("null") : operand;
                condition.values = {operand, QStringLiteral("x")};
                const std::optional<bool> plain = condition.evaluate(record);
                condition.negated = true;
                const std::optional<bool> negated = condition.evaluate(record);
                TF_FUZZ_CHECK(plain.has_value() == negated.has_value(), condition.toString());
                if (plain)
                    TF_FUZZ_CHECK(*plain != *negated, condition.toString());
            }
        }
    }
}

void checkChange(const std::optional<PostgresChange> &change, const QString &reason, bool fromChangesPayload)
{
    if (!change) {
        TF_FUZZ_CHECK(!reason.isEmpty(), QStringLiteral("refused without a reason"));
        return;
    }
    TF_FUZZ_CHECK(!change->schema.isEmpty() && !change->table.isEmpty(), QStringLiteral("no schema/table"));
    TF_FUZZ_CHECK(changeTypeFromName(changeTypeName(change->type)) == change->type, changeTypeName(change->type));
    if (!fromChangesPayload || change->errors.isEmpty()) {
        // A keyed model needs the image: the new one for INSERT/UPDATE, the old one for DELETE.
        // (An empty object is allowed through: the model refuses a row without its key.)
        TF_FUZZ_CHECK(&change->record() == (change->type == PostgresChange::Type::Delete ? &change->oldRecord
                                                                                         : &change->newRecord),
                      QStringLiteral("record() picks the wrong image"));
    }
    if (change->commitTimestamp.isValid())
        TF_FUZZ_CHECK(change->commitTimestamp.offsetFromUtc() == 0, QStringLiteral("timestamp not in UTC"));
    for (const PostgresColumn &column : change->columns)
        TF_FUZZ_CHECK(!column.name.isEmpty(), QStringLiteral("a column without a name"));
    evaluateAll(change->newRecord);
    evaluateAll(change->oldRecord);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***)
{
    fuzz::quietQtMessages();
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QJsonDocument document =
        QJsonDocument::fromJson(QByteArray::fromRawData(reinterpret_cast<const char *>(data), qsizetype(size)));
    QJsonObject payload = document.object();
    QString event = QStringLiteral("INSERT");
    if (document.isArray() && document.array().size() >= 5) {
        payload = document.array().at(4).toObject();
        event = document.array().at(3).toString();
    }

    QString reason;
    checkChange(PostgresChange::fromPostgresChangesPayload(payload, &reason), reason, true);

    // The same shape as a database broadcast: {schema, table, operation, record, old_record},
    // which arrives inside a broadcast's payload.
    const QJsonValue broadcastInner = payload.value(u"payload");
    reason.clear();
    checkChange(PostgresChange::fromDatabaseBroadcast(event, broadcastInner, &reason), reason, false);
    reason.clear();
    checkChange(PostgresChange::fromDatabaseBroadcast(event, payload.value(u"data"), &reason), reason, false);
    return 0;
}
