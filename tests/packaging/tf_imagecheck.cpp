// tf_imagecheck: asserts facts about an image file for the packaging tests' shell scripts.
//
//   tf_imagecheck FILE [--size WxH] [--min-size WxH] [--min-colours N] [--min-light-pixels N]
//   tf_imagecheck FILE --ico-sizes 16,32,...     every listed size is one of the .ico's images
//
// Exit status 0 when every assertion holds, 1 with one line per failure on stderr otherwise,
// 2 for a usage error. Colours and light pixels are counted on every second pixel in both
// directions, like tests/app/tst_appwindow.cpp does for the window grab.
#include <QCoreApplication>
#include <QImage>
#include <QImageReader>
#include <QSet>
#include <QSize>
#include <QStringList>

#include <cstdio>

namespace {

bool parseSize(const QString &text, QSize *size)
{
    const QStringList parts = text.split(QLatin1Char('x'));
    if (parts.size() != 2)
        return false;
    bool okW = false;
    bool okH = false;
    *size = QSize(parts.at(0).toInt(&okW), parts.at(1).toInt(&okH));
    return okW && okH && size->width() > 0 && size->height() > 0;
}

int usage()
{
    std::fputs("usage: tf_imagecheck FILE [--size WxH] [--min-size WxH] [--min-colours N]"
               " [--min-light-pixels N] [--ico-sizes A,B,...]\n", stderr);
    return 2;
}

void failure(int *failures, const QString &message)
{
    std::fprintf(stderr, "tf_imagecheck: %s\n", qPrintable(message));
    ++*failures;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv); // image format plugins (ico) are found through the application
    QStringList args = QCoreApplication::arguments().mid(1);
    if (args.isEmpty() || args.first().startsWith(QLatin1String("--")))
        return usage();
    const QString path = args.takeFirst();

    QSize exactSize;
    QSize minSize;
    int minColours = -1;
    int minLightPixels = -1;
    QList<int> icoSizes;
    while (!args.isEmpty()) {
        const QString option = args.takeFirst();
        if (args.isEmpty())
            return usage();
        const QString value = args.takeFirst();
        bool ok = true;
        if (option == QLatin1String("--size"))
            ok = parseSize(value, &exactSize);
        else if (option == QLatin1String("--min-size"))
            ok = parseSize(value, &minSize);
        else if (option == QLatin1String("--min-colours"))
            minColours = value.toInt(&ok);
        else if (option == QLatin1String("--min-light-pixels"))
            minLightPixels = value.toInt(&ok);
        else if (option == QLatin1String("--ico-sizes")) {
            for (const QString &item : value.split(QLatin1Char(','))) {
                const int size = item.toInt(&ok);
                if (!ok)
                    break;
                icoSizes.append(size);
            }
        } else
            return usage();
        if (!ok)
            return usage();
    }

    int failures = 0;
    if (!icoSizes.isEmpty()) {
        QImageReader reader(path, "ico");
        QSet<int> found;
        const int count = reader.imageCount();
        for (int i = 0; i < count; ++i) {
            if (!reader.jumpToImage(i))
                break;
            const QImage image = reader.read();
            if (!image.isNull() && image.width() == image.height())
                found.insert(image.width());
        }
        if (count <= 0)
            failure(&failures, QStringLiteral("%1 is not a readable .ico (%2)").arg(path, reader.errorString()));
        for (const int size : icoSizes) {
            if (!found.contains(size))
                failure(&failures, QStringLiteral("%1 has no %2x%2 image").arg(path).arg(size));
        }
        return failures == 0 ? 0 : 1;
    }

    QImageReader reader(path);
    const QImage image = reader.read();
    if (image.isNull()) {
        failure(&failures, QStringLiteral("%1 is not a readable image (%2)").arg(path, reader.errorString()));
        return 1;
    }
    if (exactSize.isValid() && image.size() != exactSize) {
        failure(&failures, QStringLiteral("%1 is %2x%3, expected %4x%5").arg(path)
                               .arg(image.width()).arg(image.height()).arg(exactSize.width()).arg(exactSize.height()));
    }
    if (minSize.isValid() && (image.width() < minSize.width() || image.height() < minSize.height())) {
        failure(&failures, QStringLiteral("%1 is %2x%3, expected at least %4x%5").arg(path)
                               .arg(image.width()).arg(image.height()).arg(minSize.width()).arg(minSize.height()));
    }
    if (minColours >= 0 || minLightPixels >= 0) {
        QSet<QRgb> colours;
        int lightPixels = 0;
        for (int y = 0; y < image.height(); y += 2) {
            for (int x = 0; x < image.width(); x += 2) {
                const QRgb pixel = image.pixel(x, y);
                colours.insert(pixel);
                if (qAlpha(pixel) > 0 && qGray(pixel) > 200)
                    ++lightPixels;
            }
        }
        if (minColours >= 0 && colours.size() < minColours)
            failure(&failures, QStringLiteral("%1 has %2 colours, expected at least %3 (blank?)").arg(path)
                                   .arg(colours.size()).arg(minColours));
        if (minLightPixels >= 0 && lightPixels < minLightPixels)
            failure(&failures, QStringLiteral("%1 has %2 light pixels, expected at least %3").arg(path)
                                   .arg(lightPixels).arg(minLightPixels));
    }
    if (failures == 0)
        std::printf("%s: %dx%d ok\n", qPrintable(path), image.width(), image.height());
    return failures == 0 ? 0 : 1;
}
